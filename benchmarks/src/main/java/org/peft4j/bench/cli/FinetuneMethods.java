package org.peft4j.bench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peft4j.AdapterRegistry;
import org.peft4j.bench.model.Contender;
import org.peft4j.bench.model.Lineup;

/**
 * Several {@code --method}s of {@code finetune}: one model whose layers are adapted by different methods, each on
 * the layers of its {@code --method-targets} and with its {@code --method-config} settings.
 */
final class FinetuneMethods {

    private FinetuneMethods() {
    }

    /** The combined contender of every {@code --method}, without merges (the adapter file must load onto the base). */
    static Contender combined(FinetuneCommand options, AdapterRegistry registry) {
        if (options.targets != null) {
            throw new IllegalArgumentException("--targets applies to one --method; with several " + options.methods
                    + ", give --method-targets METHOD=REGEX for each");
        }
        List<String> missing = options.methods.stream().filter(m -> !options.methodTargets.containsKey(m)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("with several methods " + options.methods + ", each needs its layers:"
                    + " give --method-targets METHOD=REGEX for " + String.join(", ", missing));
        }
        Map<String, Map<String, String>> configs = MethodConfigs.parse(options.methodConfig);
        List<Contender> parts = new ArrayList<>();
        for (Contender part : Lineup.resolve(options.methods, registry, Map.of(), configs, options.methodTargets)) {
            requireAdapter(part, registry);
            parts.add(new Contender(part.name(), part.kind(), false, part.config(), part.targets()));
        }
        return Contender.combined(parts);
    }

    /** Refuses a baseline given as {@code --method}. */
    static void requireAdapter(Contender contender, AdapterRegistry registry) {
        if (contender.kind() != Contender.Kind.ADAPTER) {
            throw new IllegalArgumentException("--method " + contender.name() + " is a baseline; finetune needs an "
                    + "adapter method: " + registry.names());
        }
    }
}
