package org.peft4j.bench.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.peft4j.AdapterRegistry;

/**
 * The methods of a comparison: the two baselines ({@code head-only}, {@code full}) then every
 * adapter method the registry finds (sorted by name), or the ones asked for. Options for a method
 * that is not in the line-up are an error, never silently ignored, and every adapter's settings and
 * target regex are parsed here, before anything is trained.
 */
public final class Lineup {

    /** Methods merged after every epoch unless told otherwise (the CoLoRA paper's eq. 12-13). */
    public static final Set<String> MERGED_BY_DEFAULT = Set.of("colora");

    /**
     * Settings a method gets unless told otherwise: tCURLoRA falls back to taps mode or matrix CUR for layers
     * without an equal-shape partner (its own default refuses them), since the backbones' targets have some.
     */
    public static final Map<String, Map<String, String>> CONFIG_BY_DEFAULT = Map.of("tcurlora", Map.of("fallback", "AUTO"));

    private Lineup() {
    }

    /**
     * @param requested method names in the order wanted; empty means all
     * @param registry  the adapter methods available
     * @param merge     per-method merge-every-epoch overrides
     * @param configs   per-method adapter hyper-parameter overrides
     * @param targets   per-method target layer-name regex
     */
    public static List<Contender> resolve(List<String> requested, AdapterRegistry registry, Map<String, Boolean> merge,
            Map<String, Map<String, String>> configs, Map<String, String> targets) {
        List<String> available = new ArrayList<>(List.of(Contender.HEAD_ONLY, Contender.FULL));
        for (String name : registry.names()) {
            if (available.contains(name)) {
                throw new IllegalStateException("adapter method '" + name + "' has the name of a built-in baseline");
            }
            available.add(name);
        }
        List<String> names = requested.isEmpty() ? available : requested;
        Set<String> seen = new HashSet<>();
        List<Contender> lineup = new ArrayList<>();
        for (String name : names) {
            if (!available.contains(name)) {
                throw new IllegalArgumentException("unknown method '" + name + "'; available: " + String.join(", ", available));
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("method '" + name + "' is listed twice");
            }
            if (name.equals(Contender.HEAD_ONLY) || name.equals(Contender.FULL)) {
                lineup.add(Contender.baseline(name));
            } else {
                lineup.add(new Contender(name, Contender.Kind.ADAPTER,
                        merge.getOrDefault(name, MERGED_BY_DEFAULT.contains(name)),
                        configs.getOrDefault(name, CONFIG_BY_DEFAULT.getOrDefault(name, Map.of())),
                        Optional.ofNullable(targets.get(name))));
            }
        }
        for (Map<String, ?> options : List.of(merge, configs, targets)) {
            for (String name : options.keySet()) {
                boolean adapter = lineup.stream().anyMatch(c -> c.name().equals(name) && c.kind() == Contender.Kind.ADAPTER);
                if (!adapter) {
                    throw new IllegalArgumentException("an option is given for '" + name
                            + "', which is not an adapter method of this comparison " + lineup.stream().map(Contender::name).toList());
                }
            }
        }
        lineup.forEach(c -> checkOptions(c, registry));
        return lineup;
    }

    /** Parses an adapter's settings and target regex now, so a typo fails before anything trains. */
    private static void checkOptions(Contender contender, AdapterRegistry registry) {
        if (contender.kind() != Contender.Kind.ADAPTER) {
            return;
        }
        try {
            ContenderFactory.config(registry.get(contender.name()), contender.config());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--method-config " + contender.name() + ": " + e.getMessage(), e);
        }
        contender.targets().ifPresent(regex -> {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("--method-targets " + contender.name() + "=" + regex
                        + " is not a valid regular expression: " + e.getDescription(), e);
            }
        });
    }
}
