package org.peft4j.bench.model;

import java.util.List;
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
 * @param parts           for several adapter methods in one model ({@link #combined}): one adapter contender per
 *                        method, each with its targets; empty otherwise
 */
public record Contender(String name, Kind kind, boolean mergeEveryEpoch, Map<String, String> config,
        Optional<String> targets, List<Contender> parts) {

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
        parts = List.copyOf(parts);
        if (kind != Kind.ADAPTER && (mergeEveryEpoch || !config.isEmpty() || targets.isPresent() || !parts.isEmpty())) {
            throw new IllegalArgumentException("baseline '" + name + "' takes no merge, adapter config or targets");
        }
    }

    /** One method, not combined. */
    public Contender(String name, Kind kind, boolean mergeEveryEpoch, Map<String, String> config,
            Optional<String> targets) {
        this(name, kind, mergeEveryEpoch, config, targets, List.of());
    }

    /**
     * Several adapter methods in one model, e.g. {@code colora+lora}: every part is an adapter contender with its
     * own targets (a layer matched by two is refused when the model is built); no merges during training.
     */
    public static Contender combined(List<Contender> parts) {
        if (parts.size() < 2) {
            throw new IllegalArgumentException("a combined contender needs at least two methods, got " + parts);
        }
        for (Contender part : parts) {
            if (part.kind() != Kind.ADAPTER || part.targets().isEmpty() || !part.parts().isEmpty()) {
                throw new IllegalArgumentException("every method of a combined contender must be an adapter method "
                        + "with targets, not " + part.describe());
            }
        }
        return new Contender(String.join("+", parts.stream().map(Contender::name).toList()), Kind.ADAPTER, false,
                Map.of(), Optional.empty(), parts);
    }

    /** The methods this contender adapts with: its parts, or itself. */
    public List<Contender> methods() {
        return parts.isEmpty() ? List.of(this) : parts;
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
        if (!parts.isEmpty()) {
            return String.join(" + ", parts.stream().map(Contender::describe).toList());
        }
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
