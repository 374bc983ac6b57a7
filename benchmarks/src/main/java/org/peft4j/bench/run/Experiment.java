package org.peft4j.bench.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.peft4j.bench.data.LabeledImages;
import org.peft4j.bench.model.Backbone;
import org.peft4j.bench.model.Contender;
import org.peft4j.bench.model.Optimiser;
import org.peft4j.bench.train.Augmentation;

/**
 * Everything a side-by-side comparison needs, prepared by a protocol.
 *
 * @param protocol     protocol name
 * @param backbone     the backbone family
 * @param pretrained   gives the pretrained network (called once per comparison, then shared read-only)
 * @param train        training images (the chosen subset)
 * @param validation   validation images for model selection, or empty
 * @param test         test images
 * @param contenders   the methods, in report order
 * @param epochs       training epochs per run
 * @param batchSize    minibatch size
 * @param optimiser    optimiser of the trainable parameters
 * @param augmentation training-time augmentation
 * @param seeds        one run per seed and method
 * @param settings     every protocol setting as text, for provenance and the results fingerprint
 */
public record Experiment(String protocol, Backbone backbone, Supplier<Model> pretrained, LabeledImages train,
        Optional<LabeledImages> validation, LabeledImages test, List<Contender> contenders, int epochs, int batchSize,
        Optimiser optimiser, Augmentation augmentation, List<Long> seeds, Map<String, String> settings) {

    public Experiment {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(backbone, "backbone");
        Objects.requireNonNull(pretrained, "pretrained");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(test, "test");
        contenders = List.copyOf(contenders);
        seeds = List.copyOf(seeds);
        if (contenders.isEmpty()) {
            throw new IllegalArgumentException("an experiment needs at least one method");
        }
        if (seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("seeds must be given and distinct, got " + seeds);
        }
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("epochs and batch size must be >= 1, got epochs=" + epochs
                    + ", batch=" + batchSize);
        }
        if (train.classes() != test.classes() || validation.map(v -> v.classes() != test.classes()).orElse(false)) {
            throw new IllegalArgumentException("train, validation and test sets must have the same classes");
        }
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put("backbone", backbone.describe());
        all.put("train", train.toString());
        all.put("validation", validation.map(LabeledImages::toString).orElse("none"));
        all.put("test", test.toString());
        all.put("epochs", String.valueOf(epochs));
        all.put("batch", String.valueOf(batchSize));
        all.put("optimiser", optimiser.toString());
        all.put("augmentation", augmentation.describe());
        settings = Map.copyOf(all);
    }

    /** Number of classes. */
    public int classes() {
        return test.classes();
    }
}
