package org.peft4j.bench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Model;
import org.peft4j.PeftModel;
import org.peft4j.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code peft4j merge}: a base model plus an adapter file into one plain DL4J model file. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Applies an adapter file to its base model and writes the merged plain DL4J model (original "
                + "layer types, usable without peft4j), atomically.",
            "Example: peft4j merge --model base.zip --adapter out/adapter.safetensors --out merged.zip"})
final class MergeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "BASE",
            description = "The base DL4J model file (MultiLayerNetwork or ComputationGraph) the adapter was trained on.")
    Path model;

    @Option(names = "--adapter", required = true, paramLabel = "FILE", description = "The adapter file.")
    Path adapter;

    @Option(names = "--out", required = true, paramLabel = "MERGED.zip", description = "The merged model file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Model base = NetworkFiles.restore(model, "--model");
        PeftModel<Model> adapted = NetworkFiles.loadAdapter(base, adapter, model);
        AtomicFiles.writeModel(adapted.mergeAndUnload(), out, false);
        System.out.println("merged " + adapter + " (" + adapted.method() + " on " + adapted.adaptedLayers().size()
                + " layers) into " + model + ": wrote " + out);
        return 0;
    }
}
