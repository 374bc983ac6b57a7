package org.peft4j.bench.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code peft4j finetune}: trains an adapter on the user's model and data. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = {"Fine-tunes a model with an adapter method (or several, on different layers) and a new output layer on an image folder or .npz "
                + "file, holding out a validation share, and writes into DIR: adapter.safetensors, merged.zip (the "
                + "plain merged model), base.zip (when the model was a backbone name), epochs.csv, plots/, summary.md "
                + "and runs/ (the run's JSON record).",
            "Example: peft4j finetune --model base.zip --data photos/ --method lora-conv "
                + "--method-config lora-conv=rank=4 --epochs 5 --validation-split 0.2 --out tuned/"})
final class FinetuneCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE|NAME", description = "A DL4J model file "
            + "(MultiLayerNetwork or ComputationGraph), or a backbone name: vgg16, resnet50, vgg-mini (freshly "
            + "initialised).")
    String model;

    @Option(names = "--data", required = true, paramLabel = "FOLDER|FILE.npz", description = "An image folder with "
            + "one sub-folder per class, or a .npz file in the MedMNIST layout (its train split is used).")
    Path data;

    @Option(names = "--method", required = true, paramLabel = "NAME", description = "An adapter method, e.g. lora, "
            + "lora-conv, colora. Repeat it to adapt different layers with different methods in one model (e.g. "
            + "--method colora --method lora); each then needs --method-targets.")
    List<String> methods = new ArrayList<>();

    @Option(names = "--method-config", paramLabel = "METHOD=K=V[,K=V]", description = "Adapter settings, as for "
            + "compare, e.g. lora-conv=rank=4,alpha=4.")
    List<String> methodConfig = new ArrayList<>();

    @Option(names = "--targets", paramLabel = "REGEX", description = "Layers to adapt, as a name regex (default: "
            + "every layer but the output that the method can adapt; a backbone: its convolutions). One method only.")
    String targets;

    @Option(names = "--method-targets", paramLabel = "METHOD=REGEX", description = "Layers a method adapts, as a "
            + "name regex, as for compare, e.g. --method-targets lora=fc.*; required per method when several are "
            + "given (a layer matched by two is refused).")
    Map<String, String> methodTargets = new LinkedHashMap<>();

    @Option(names = "--epochs", defaultValue = "5", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--validation-split", defaultValue = "0.2", paramLabel = "F", description = "Share of each "
            + "class held out for validation (default: ${DEFAULT-VALUE}).")
    double validationSplit;

    @Option(names = "--new-output", defaultValue = "auto", paramLabel = "auto|N", description = "Classes of the new "
            + "output layer: auto, the data's class count (default), or N, which must equal it.")
    String newOutput;

    @Option(names = "--batch", defaultValue = "32", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the new layers, the split and the "
            + "shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    InputOptions input;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write to; must be "
            + "absent or empty unless --overwrite.")
    Path out;

    @Option(names = "--overwrite", description = "Write into a non-empty --out folder, replacing its files.")
    boolean overwrite;

    @Option(names = "--no-progress", description = "Print epoch lines instead of a progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        FinetuneJob.run(this, new ProgressDisplay(System.err, !noProgress), System.out);
        return 0;
    }
}
