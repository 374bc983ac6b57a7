package org.peft4j.bench.protocol;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.peft4j.AdapterRegistry;
import org.peft4j.bench.data.LabeledImages;
import org.peft4j.bench.data.MedMnist2d;
import org.peft4j.bench.model.Backbone;
import org.peft4j.bench.model.Backbones;
import org.peft4j.bench.model.Contender;
import org.peft4j.bench.model.Lineup;
import org.peft4j.bench.model.Optimiser;
import org.peft4j.bench.model.Vgg16Backbone;
import org.peft4j.bench.run.Experiment;
import org.peft4j.bench.run.RunProgress;
import org.peft4j.bench.subset.PredictiveEntropy;
import org.peft4j.bench.subset.TrainingSubset;
import org.peft4j.bench.train.Augmentation;
import org.peft4j.bench.train.ClassifierNetwork;

/**
 * {@code octmnist-paper} (docs/protocols.md): the CoLoRA paper's OCTMNIST experiment. A MedMNIST 2D
 * {@code octmnist*.npz} file the user gives; grayscale repeated to 3 channels and resized to the
 * backbone input (paper: VGG16 at 224x224, ImageNet weights from a file); training subset
 * {@code balanced} (7,754 per class), {@code distilled} (ranked by a given model) or {@code full};
 * every method side by side; Adam lr 1e-3 (paper) or {@code --optimiser adamw --lr 1e-4
 * --weight-decay 1e-5 --augment} (official code); batch 8; 20 epochs; 10 runs; selection on
 * validation accuracy.
 */
public final class OctmnistPaper implements Protocol {

    public static final String NAME = "octmnist-paper";
    static final int IMAGE_SIZE = 224;
    static final int EPOCHS = 20;
    static final int BATCH = 8;
    static final int RUNS = 10;
    static final long BACKBONE_SEED = 0;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Experiment prepare(ProtocolOptions options, AdapterRegistry registry, RunProgress progress) throws IOException {
        if (options.trainPerClass().isPresent() || options.sourceLimit().isPresent() || options.pretrainEpochs().isPresent()) {
            throw new IllegalArgumentException(NAME + " takes no --train-per-class, --source-limit or --pretrain-epochs "
                    + "(use --subset balanced:N)");
        }
        Path file = options.data().orElseThrow(() -> new IllegalArgumentException(NAME
                + " needs --data pointing to a MedMNIST octmnist .npz file (octmnist.npz or octmnist_64/128/224.npz)"));
        MedMnist2d.Splits splits = MedMnist2d.read(file, MedMnist2d.OCT_CLASSES);
        Backbone backbone = Backbones.byName(options.backbone().orElse(Vgg16Backbone.NAME),
                options.imageSize().orElse(IMAGE_SIZE), options.weights());
        TrainingSubset subset = TrainingSubset.parse(options.subset().orElse("balanced"));
        double[] entropy = null;
        if (subset.needsEntropy()) {
            Path modelFile = options.entropyModel().orElseThrow(() -> new IllegalArgumentException(
                    "the distilled subset needs --entropy-model, a DL4J model file whose predictions rank the images"));
            progress.note("ranking " + splits.train().size() + " training images by the predictive entropy of " + modelFile);
            entropy = PredictiveEntropy.of(ClassifierNetwork.of(restore(modelFile)), splits.train(), backbone.input(), 64);
        } else if (options.entropyModel().isPresent()) {
            throw new IllegalArgumentException("--entropy-model is only used by --subset distilled");
        }
        LabeledImages trainAll = splits.train();
        LabeledImages train = trainAll.select(subset.indices(trainAll.labels(), trainAll.classes(), entropy),
                trainAll.name() + " " + subset.describe());
        LabeledImages val = splits.val().first(options.valLimit().orElse(Integer.MAX_VALUE));
        LabeledImages test = splits.test().first(options.testLimit().orElse(Integer.MAX_VALUE));
        List<Contender> lineup = Lineup.resolve(options.methods(), registry, options.merge(), options.methodConfig(),
                options.methodTargets());
        List<Long> seeds = options.seeds().isEmpty() ? LongStream.rangeClosed(1, RUNS).boxed().toList() : options.seeds();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("data", file.toAbsolutePath().toString());
        settings.put("subset", subset.describe());
        settings.put("input", backbone.input().describe());
        settings.put("pretrained", options.weights().map(Path::toString).orElse("none (random initialisation, seed "
                + BACKBONE_SEED + ")"));
        Optimiser optimiser = new Optimiser(options.optimiser().orElse("adam"), options.learningRate().orElse(1e-3),
                options.weightDecay().orElse(0.0));
        return new Experiment(NAME, backbone, () -> backbone.create(MedMnist2d.OCT_CLASSES.size(), BACKBONE_SEED), train,
                Optional.of(val), test, lineup, options.epochs().orElse(EPOCHS), options.batch().orElse(BATCH), optimiser,
                options.augment().orElse(false) ? Augmentation.FLIP_AND_BRIGHTNESS : Augmentation.NONE, seeds, settings);
    }

    private static Model restore(Path file) throws IOException {
        try {
            return ModelSerializer.restoreComputationGraph(file.toFile(), false);
        } catch (RuntimeException | IOException graphFailure) {
            try {
                return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
            } catch (RuntimeException | IOException e) {
                throw new IOException(file + ": not a DL4J model file (" + e.getMessage() + ")", e);
            }
        }
    }
}
