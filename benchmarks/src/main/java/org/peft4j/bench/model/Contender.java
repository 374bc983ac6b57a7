package org.peft4j.bench.model;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One method in a side-by-side comparison.
 *
 * @param name            {@code head-only}, {@code full}, or a registered adapter method name
 * @param kind            which of the three
 * @param mergeEveryEpoch merge the adapter into the frozen weights after every epoch (adapters only)
 * @param config          adapter hyper-parameters overriding the method's defaults, by record component
 *                        name (values as text, e.g. {@code rank=4}); empty for the baselines
 * @param targets         a layer-name regex replacing the backbone's default adapter targets
 */
public record Contender(String name, Kind kind, boolean mergeEveryEpoch, Map<String, String> config,
        Optional<String> targets) {

    /** Baseline name: new head, backbone frozen (transfer learning). */
    public static final String HEAD_ONLY = "head-only";
    /** Baseline name: every parameter trained. */
    public static final String FULL = "full";

    /** What a contender trains. */
    public enum Kind {
        /** The head alone on a frozen backbone (DL4J transfer learning). */
        HEAD_ONLY,
        /** Every parameter. */
        FULL_FINE_TUNING,
        /** An adapter method from the registry, plus the head. */
        ADAPTER
    }

    public Contender {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        config = Map.copyOf(config);
        Objects.requireNonNull(targets, "targets");
        if (kind != Kind.ADAPTER && (mergeEveryEpoch || !config.isEmpty() || targets.isPresent())) {
            throw new IllegalArgumentException("baseline '" + name + "' takes no merge, adapter config or targets");
        }
    }

    /** A baseline. */
    public static Contender baseline(String name) {
        return switch (name) {
            case HEAD_ONLY -> new Contender(HEAD_ONLY, Kind.HEAD_ONLY, false, Map.of(), Optional.empty());
            case FULL -> new Contender(FULL, Kind.FULL_FINE_TUNING, false, Map.of(), Optional.empty());
            default -> throw new IllegalArgumentException("no baseline named '" + name + "' (head-only, full)");
        };
    }

    /** One line for tables, e.g. {@code colora (merge every epoch)}. */
    public String describe() {
        StringBuilder out = new StringBuilder(name);
        if (!config.isEmpty()) {
            out.append(' ').append(new TreeMap<>(config));
        }
        if (mergeEveryEpoch) {
            out.append(" (merge every epoch)");
        }
        targets.ifPresent(t -> out.append(" targets /").append(t).append('/'));
        return out.toString();
    }
}
