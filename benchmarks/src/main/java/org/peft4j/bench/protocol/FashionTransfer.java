package org.peft4j.bench.protocol;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.peft4j.AdapterRegistry;
import org.peft4j.bench.data.FashionMnist;
import org.peft4j.bench.data.LabeledImages;
import org.peft4j.bench.model.Backbone;
import org.peft4j.bench.model.Contender;
import org.peft4j.bench.model.Lineup;
import org.peft4j.bench.model.Optimiser;
import org.peft4j.bench.model.VggMiniBackbone;
import org.peft4j.bench.run.Experiment;
import org.peft4j.bench.run.RunProgress;
import org.peft4j.bench.subset.TrainingSubset;
import org.peft4j.bench.train.Augmentation;

/**
 * {@code fashion-transfer} (docs/protocols.md): vgg-mini pretrained on Fashion-MNIST labels 0-4 (3 epochs,
 * Adam 1e-3, batch 64, seed 0), then every method fine-tunes it on labels 5-9 (remapped to 0-4):
 * the first 1,000 training images per class, all 5,000 test images of those labels, 10 epochs,
 * Adam 1e-3, batch 64, seeds 1, 2, 3; LoRA-conv with r = 4, alpha = 4. No validation set: the
 * reported epoch is the last one, and the best test epoch is shown too, labelled.
 */
public final class FashionTransfer implements Protocol {

    public static final String NAME = "fashion-transfer";
    static final int[] SOURCE_LABELS = {0, 1, 2, 3, 4};
    static final int[] TARGET_LABELS = {5, 6, 7, 8, 9};
    static final int TRAIN_PER_CLASS = 1000;
    static final int EPOCHS = 10;
    static final int BATCH = 64;
    static final int PRETRAIN_EPOCHS = 3;
    static final long PRETRAIN_SEED = 0;
    static final List<Long> SEEDS = List.of(1L, 2L, 3L);
    /** The protocol's LoRA-conv setting. */
    static final Map<String, String> LORA_CONV = Map.of("rank", "4", "alpha", "4");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Experiment prepare(ProtocolOptions options, AdapterRegistry registry, RunProgress progress) throws IOException {
        reject(options);
        FashionMnist.Data data = FashionMnist.locate(options.data());
        progress.note("Fashion-MNIST: " + data.origin());
        List<String> names = FashionMnist.CLASSES;
        LabeledImages source = data.train().relabel(SOURCE_LABELS, names.subList(0, 5), "fashion source 0-4")
                .first(options.sourceLimit().orElse(Integer.MAX_VALUE));
        LabeledImages targetAll = data.train().relabel(TARGET_LABELS, names.subList(5, 10), "fashion target 5-9");
        int perClass = options.trainPerClass().orElse(TRAIN_PER_CLASS);
        LabeledImages train = targetAll.select(new TrainingSubset.Balanced(perClass)
                .indices(targetAll.labels(), targetAll.classes(), null), "fashion target train (first " + perClass + "/class)");
        LabeledImages test = data.test().relabel(TARGET_LABELS, names.subList(5, 10), "fashion target test")
                .first(options.testLimit().orElse(Integer.MAX_VALUE));

        Map<String, Map<String, String>> configs = new HashMap<>(options.methodConfig());
        boolean loraConvCompared = registry.contains("lora-conv")
                && (options.methods().isEmpty() || options.methods().contains("lora-conv"));
        if (loraConvCompared) {
            configs.putIfAbsent("lora-conv", LORA_CONV);
        }
        List<Contender> lineup = Lineup.resolve(options.methods(), registry, options.merge(), configs,
                options.methodTargets());
        int pretrainEpochs = options.pretrainEpochs().orElse(PRETRAIN_EPOCHS);
        Backbone backbone = new VggMiniBackbone();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("data", data.origin());
        settings.put("source", source + ", pretraining " + pretrainEpochs + " epochs, adam 1e-3, batch " + BATCH
                + ", seed " + PRETRAIN_SEED);
        Optimiser optimiser = new Optimiser(options.optimiser().orElse("adam"), options.learningRate().orElse(1e-3),
                options.weightDecay().orElse(0.0));
        Supplier<Model> pretrained = () -> SourcePretraining.pretrained(source, pretrainEpochs, BATCH,
                PRETRAIN_SEED, options.cacheDir(), progress);
        return new Experiment(NAME, backbone, pretrained, train, Optional.empty(), test, lineup,
                options.epochs().orElse(EPOCHS), options.batch().orElse(BATCH), optimiser,
                options.augment().orElse(false) ? Augmentation.FLIP_AND_BRIGHTNESS : Augmentation.NONE,
                options.seeds().isEmpty() ? SEEDS : options.seeds(), settings);
    }

    private static void reject(ProtocolOptions options) {
        if (options.backbone().isPresent() && !options.backbone().get().equals(VggMiniBackbone.NAME)) {
            throw new IllegalArgumentException(NAME + " uses the vgg-mini backbone, not " + options.backbone().get());
        }
        if (options.subset().isPresent() || options.entropyModel().isPresent() || options.weights().isPresent()
                || options.valLimit().isPresent() || options.imageSize().isPresent()) {
            throw new IllegalArgumentException(NAME + " takes no --subset, --entropy-model, --weights, --val-limit "
                    + "or --image-size (it pretrains vgg-mini at 28x28 itself and has no validation set)");
        }
    }
}
