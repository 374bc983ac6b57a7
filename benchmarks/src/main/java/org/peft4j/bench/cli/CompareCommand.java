package org.peft4j.bench.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.peft4j.bench.protocol.Protocols;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code peft4j compare}: any protocol, methods, backbone and data. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Runs a protocol with every method side by side and writes per-epoch CSV, per-run JSON with "
                + "provenance, a markdown summary (the paper's Tables 2-4 for octmnist-paper) and PNG plots.",
            "Example: peft4j compare --protocol octmnist-paper --data octmnist_224.npz --weights vgg16.zip"})
final class CompareCommand implements Callable<Integer> {

    @Option(names = "--protocol", required = true, description = "octmnist-paper or fashion-transfer.")
    String protocol;

    @Option(names = "--backbone", description = "octmnist-paper: vgg16 (default) or resnet50; fashion-transfer: vgg-mini.")
    String backbone;

    @Option(names = "--image-size", description = "Backbone input size (octmnist-paper, default 224).")
    Integer imageSize;

    @Option(names = "--weights", paramLabel = "FILE", description = "Pretrained backbone weights: a DL4J model file "
            + "(e.g. the zoo's VGG16 or ResNet50 ImageNet zip) or a Keras .h5 file; copied by layer name and shape.")
    Path weights;

    @Option(names = "--subset", description = "octmnist-paper training set: full, balanced[:perClass] (default, 7754) "
            + "or distilled[:drop:keep] (10:7040).")
    String subset;

    @Option(names = "--entropy-model", paramLabel = "FILE", description = "DL4J model ranking images by predictive "
            + "entropy for the distilled subset.")
    Path entropyModel;

    @Option(names = "--val-limit", paramLabel = "N", description = "Use only the first N validation images.")
    Integer valLimit;

    @Option(names = "--train-per-class", paramLabel = "N", description = "fashion-transfer: target training images "
            + "per class (default 1000).")
    Integer trainPerClass;

    @Option(names = "--source-limit", paramLabel = "N", description = "fashion-transfer: first N source-task images "
            + "for pretraining (default all).")
    Integer sourceLimit;

    @Option(names = "--pretrain-epochs", description = "fashion-transfer: source-task epochs (default 3).")
    Integer pretrainEpochs;

    @Mixin
    ComparisonOptions common;

    @Override
    public Integer call() throws Exception {
        ComparisonJob.run(Protocols.byName(protocol), common.toProtocolOptions(Optional.ofNullable(backbone),
                Optional.ofNullable(imageSize), Optional.ofNullable(weights), Optional.ofNullable(subset),
                Optional.ofNullable(entropyModel), Optional.ofNullable(trainPerClass), Optional.ofNullable(valLimit),
                Optional.ofNullable(sourceLimit), Optional.ofNullable(pretrainEpochs)), common.resultsDir, common.out,
                !common.noProgress, Optional.ofNullable(common.spark), System.out, System.err);
        return 0;
    }
}
