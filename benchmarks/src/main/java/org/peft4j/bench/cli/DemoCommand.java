package org.peft4j.bench.cli;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.peft4j.bench.protocol.FashionTransfer;
import org.peft4j.bench.protocol.ProtocolOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code peft4j demo}, the main job: fashion-transfer cut to a few minutes on two CPU cores, every
 * method side by side. The full protocol is {@code peft4j compare --protocol fashion-transfer}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The main job: fashion-transfer (vgg-mini pretrained on Fashion-MNIST classes 0-4, fine-tuned "
                + "on classes 5-9) with every method side by side, sized for a few minutes on 2 CPU cores: "
                + DemoCommand.SOURCE_IMAGES + " source images, " + DemoCommand.PER_CLASS + " training images per class, "
                + DemoCommand.TEST_IMAGES + " test images, " + DemoCommand.EPOCHS + " epochs, seed 1.",
            "Uses /usr/share/datasets/fashion-mnist when present, else the Fashion-MNIST sample inside the jar.",
            "The full protocol (1000 images per class, all 5000 test images, 10 epochs, seeds 1-3): "
                + "peft4j compare --protocol fashion-transfer"})
final class DemoCommand implements Callable<Integer> {

    static final int SOURCE_IMAGES = 640;
    static final int PER_CLASS = 50;
    static final int TEST_IMAGES = 500;
    static final int EPOCHS = 3;

    @Mixin
    ComparisonOptions common;

    @Option(names = "--source-limit", paramLabel = "N", description = "Source-task images for pretraining "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "" + SOURCE_IMAGES)
    int sourceLimit;

    @Option(names = "--train-per-class", paramLabel = "N", description = "Target training images per class "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "" + PER_CLASS)
    int trainPerClass;

    @Option(names = "--pretrain-epochs", description = "Source-task epochs (default: ${DEFAULT-VALUE}).",
            defaultValue = "3")
    int pretrainEpochs;

    @Override
    public Integer call() throws Exception {
        if (common.epochs == null) {
            common.epochs = EPOCHS;
        }
        if (common.seeds.isEmpty() && common.runs == null) {
            common.seeds = List.of(1L);
        }
        if (common.testLimit == null) {
            common.testLimit = TEST_IMAGES;
        }
        ProtocolOptions options = common.toProtocolOptions(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(trainPerClass), Optional.empty(), Optional.of(sourceLimit),
                Optional.of(pretrainEpochs));
        System.err.println("demo: fashion-transfer cut to a few minutes; the full protocol is "
                + "`peft4j compare --protocol fashion-transfer`");
        ComparisonJob.run(new FashionTransfer(), options, common.resultsDir, common.out, !common.noProgress,
                Optional.ofNullable(common.spark), System.out, System.err);
        System.out.println("This was the demo-sized run. The full protocol: peft4j compare --protocol fashion-transfer");
        return 0;
    }
}
