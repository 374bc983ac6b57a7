package org.peft4j.bench.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peft4j.io.AdapterFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code peft4j inspect}: what an adapter file holds, read from the file alone. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Prints an adapter file's header: method and settings (per layer when they differ), adapted and trainable layers, the output "
                + "layer and its classes, parameters per layer and in total, the format version and whether it "
                + "carries fingerprints of the base weights. Needs no base network.",
            "Example: peft4j inspect out/adapter.safetensors"})
final class InspectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "An adapter file written by peft4j (saveAdapter, finetune).")
    Path file;

    @Override
    public Integer call() throws Exception {
        NetworkFiles.requireFile(file, "FILE");
        print(AdapterFile.read(file), System.out);
        return 0;
    }

    private void print(AdapterFile adapter, PrintStream out) {
        boolean fingerprinted = !adapter.baseFingerprints().isEmpty();
        out.println("file:            " + file);
        out.println("format version:  " + adapter.formatVersion());
        out.println("base fingerprints: " + (fingerprinted ? "yes (loading checks the base weights)"
                : "no (format 1: loading cannot check the base weights)"));
        out.println("method:          " + adapter.method());
        if (adapter.isUniform()) {
            out.println("config:          " + adapter.configJson());
        } else {
            out.println("layer methods:");
            adapter.methods().forEach((layer, method) ->
                    out.printf("  %-24s %s %s%n", layer, method.method(), method.configJson()));
        }
        out.println("targets:         " + String.join(", ", adapter.targets()));
        out.println("trainable:       " + (adapter.trainable().isEmpty() ? "(none)" : String.join(", ", adapter.trainable())));
        out.println("output layer:    " + (adapter.outputLayer() == null ? "(not trained)"
                : adapter.outputLayer() + ", " + adapter.outputClasses() + " classes"));
        Map<String, Long> perLayer = parametersPerLayer(adapter);
        out.println("parameters:");
        perLayer.forEach((layer, count) -> out.printf("  %-24s %12d  %s%n", layer, count, role(adapter, layer)));
        out.printf("  %-24s %12d%n", "total", perLayer.values().stream().mapToLong(Long::longValue).sum());
    }

    /** Stored values per layer, in file order (tensors are named {@code <layer>/<key>}). */
    private static Map<String, Long> parametersPerLayer(AdapterFile adapter) {
        Map<String, Long> counts = new LinkedHashMap<>();
        adapter.tensors().forEach((name, value) ->
                counts.merge(name.substring(0, name.lastIndexOf('/')), value.length(), Long::sum));
        return counts;
    }

    private static String role(AdapterFile adapter, String layer) {
        List<String> targets = adapter.targets();
        if (targets.contains(layer)) {
            return adapter.methods().get(layer).method() + " adapter on " + adapter.base().get(layer).type();
        }
        return layer.equals(adapter.outputLayer()) ? "output layer" : "trainable layer";
    }
}
