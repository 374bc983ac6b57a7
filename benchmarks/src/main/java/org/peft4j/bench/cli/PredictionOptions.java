package org.peft4j.bench.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options {@code predict} and {@code evaluate} share: model, optional adapter, data and input. */
final class PredictionOptions {

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "A DL4J model file (MultiLayerNetwork or ComputationGraph), e.g. one written by merge.")
    Path model;

    @Option(names = "--adapter", paramLabel = "FILE", description = "An adapter file to apply to the model first.")
    Path adapter;

    @Option(names = "--data", required = true, paramLabel = "FOLDER|FILE.npz", description = "An image folder with "
            + "one sub-folder per class, or a .npz file in the MedMNIST layout.")
    Path data;

    @Option(names = "--split", defaultValue = "test", description = "The .npz split: train, val or test "
            + "(default: ${DEFAULT-VALUE}).")
    String split;

    @Mixin
    InputOptions input;

    @Option(names = "--batch", defaultValue = "32", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the results to.")
    Path out;
}
