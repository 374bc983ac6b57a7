package org.peft4j.bench.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.peft4j.bench.protocol.ProtocolOptions;
import picocli.CommandLine.Option;

/** The options {@code compare} shares with {@code demo}: data, methods, training and output. */
final class ComparisonOptions {

    @Option(names = "--data", paramLabel = "PATH", description = "Data file or folder (octmnist-paper: a MedMNIST "
            + "octmnist*.npz; fashion-transfer: a folder of Fashion-MNIST IDX files; default: "
            + "/usr/share/datasets/fashion-mnist if present, else the embedded sample).")
    Path data;

    @Option(names = "--methods", split = ",", paramLabel = "NAME", description = "Methods to compare, in order "
            + "(default: head-only, full and every adapter method on the class path).")
    List<String> methods = new ArrayList<>();

    @Option(names = "--merge", paramLabel = "METHOD=BOOL", description = "Merge a method's adapter into the frozen "
            + "weights after every epoch (default: true for colora, false otherwise), e.g. --merge lora-conv=true.")
    Map<String, Boolean> merge = new LinkedHashMap<>();

    @Option(names = "--method-config", paramLabel = "METHOD=K=V[,K=V]", description = "Adapter settings by name, "
            + "e.g. --method-config lora-conv=rank=4,alpha=4 (fashion-transfer's default for lora-conv).")
    List<String> methodConfig = new ArrayList<>();

    @Option(names = "--method-targets", paramLabel = "METHOD=REGEX", description = "Layers a method adapts, as a "
            + "name regex (default: the backbone's convolutions; vgg16: blocks 2-5), e.g. --method-targets lora=fc1.")
    Map<String, String> methodTargets = new LinkedHashMap<>();

    @Option(names = "--epochs", description = "Training epochs per run.")
    Integer epochs;

    @Option(names = "--batch", description = "Minibatch size.")
    Integer batch;

    @Option(names = "--optimiser", description = "adam (paper) or adamw (official code: with --lr 1e-4 "
            + "--weight-decay 1e-5).")
    String optimiser;

    @Option(names = "--lr", description = "Learning rate (default 1e-3).")
    Double learningRate;

    @Option(names = "--weight-decay", description = "AdamW weight decay.")
    Double weightDecay;

    @Option(names = "--seeds", split = ",", description = "Run seeds, one run per seed and method.")
    List<Long> seeds = new ArrayList<>();

    @Option(names = "--runs", description = "Runs per method with seeds 1..R (instead of --seeds).")
    Integer runs;

    @Option(names = "--augment", description = "Random flip and brightness augmentation during training.")
    Boolean augment;

    @Option(names = "--test-limit", paramLabel = "N", description = "Use only the first N test images.")
    Integer testLimit;

    @Option(names = "--results-dir", paramLabel = "DIR", defaultValue = "results",
            description = "Where result folders and the pretrained-network cache go (default: ${DEFAULT-VALUE}).")
    Path resultsDir;

    @Option(names = "--out", paramLabel = "DIR", description = "This comparison's results folder (default: a new "
            + "<results-dir>/<protocol>-<time>); give an existing one to resume, skipping its finished runs.")
    Path out;

    @Option(names = "--no-progress", description = "Print epoch lines instead of progress bars.")
    boolean noProgress;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Run each (method, seed) as a Spark task on "
            + "MASTER (local[2], spark://host:7077, ...; under spark-submit, its --master) and gather the run files "
            + "in the results folder here; needs the Spark build (./peft4j switches to it; docs/spark.md).")
    String spark;

    /** These options plus protocol-specific ones. */
    ProtocolOptions toProtocolOptions(Optional<String> backbone, Optional<Integer> imageSize, Optional<Path> weights,
            Optional<String> subset, Optional<Path> entropyModel, Optional<Integer> trainPerClass,
            Optional<Integer> valLimit, Optional<Integer> sourceLimit, Optional<Integer> pretrainEpochs) {
        if (runs != null && !seeds.isEmpty()) {
            throw new IllegalArgumentException("give --seeds or --runs, not both");
        }
        List<Long> runSeeds = runs == null ? seeds : LongStream.rangeClosed(1, runs).boxed().toList();
        return new ProtocolOptions(Optional.ofNullable(data), backbone, imageSize, weights, methods, merge,
                MethodConfigs.parse(methodConfig), methodTargets, Optional.ofNullable(epochs), Optional.ofNullable(batch),
                Optional.ofNullable(optimiser), Optional.ofNullable(learningRate), Optional.ofNullable(weightDecay),
                runSeeds, subset, entropyModel, Optional.ofNullable(augment), trainPerClass, valLimit,
                Optional.ofNullable(testLimit), sourceLimit, pretrainEpochs, resultsDir.resolve("cache"));
    }
}
