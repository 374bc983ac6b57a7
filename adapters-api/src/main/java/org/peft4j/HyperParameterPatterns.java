package org.peft4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.peft4j.network.LayerSlot;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.spi.AdapterMethod;

/**
 * Per-layer rank and alpha overrides ({@link PeftConfig#rankPattern()}, {@link PeftConfig#alphaPattern()}),
 * applied through {@link AdapterConfig#withRank} and {@link AdapterConfig#withAlpha}. Nothing is silently
 * ignored: a pattern matching no adapted layer, a layer matched by two patterns of one kind, and a pattern on
 * a layer whose method has no rank (or alpha) are refused, naming the pattern, the layer and the method.
 */
final class HyperParameterPatterns {

    private HyperParameterPatterns() {
    }

    /**
     * The configuration of every adapted layer after the patterns.
     *
     * @param methods the method of every adapted layer, by name, in network order
     * @param configs the configuration its rule gives every adapted layer
     */
    static Map<String, AdapterConfig> apply(PeftConfig peft, List<LayerSlot> slots, Map<String, AdapterMethod<?>> methods,
            Map<String, AdapterConfig> configs) {
        Map<String, AdapterConfig> result = new LinkedHashMap<>(configs);
        applyAll("rankPattern", "rank", peft.rankPattern(), slots, methods, result, AdapterConfig::withRank);
        applyAll("alphaPattern", "alpha", peft.alphaPattern(), slots, methods, result, AdapterConfig::withAlpha);
        return result;
    }

    private static <V> void applyAll(String option, String what, Map<LayerSelector, V> patterns, List<LayerSlot> slots,
            Map<String, AdapterMethod<?>> methods, Map<String, AdapterConfig> configs,
            BiFunction<AdapterConfig, V, Optional<AdapterConfig>> override) {
        Map<String, LayerSelector> matchedBy = new LinkedHashMap<>();
        for (Map.Entry<LayerSelector, V> pattern : patterns.entrySet()) {
            LayerSelector selector = pattern.getKey();
            boolean matched = false;
            for (LayerSlot slot : slots) {
                if (!methods.containsKey(slot.name()) || !selector.matches(slot.name(), slot.config())) {
                    continue;
                }
                matched = true;
                LayerSelector previous = matchedBy.putIfAbsent(slot.name(), selector);
                if (previous != null) {
                    throw new IllegalArgumentException(option + " " + selector.describe() + " and " + option + " "
                            + previous.describe() + " both match layer '" + slot.name() + "'; a layer can take one "
                            + what + " override only");
                }
                String method = methods.get(slot.name()).name();
                AdapterConfig config = configs.get(slot.name());
                Optional<AdapterConfig> changed;
                try {
                    changed = override.apply(config, pattern.getValue());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(option + " " + selector.describe() + " on layer '" + slot.name()
                            + "' (" + method + "): " + e.getMessage(), e);
                }
                configs.put(slot.name(), changed.orElseThrow(() -> new IllegalArgumentException(option + " "
                        + selector.describe() + " matches layer '" + slot.name() + "', adapted by '" + method
                        + "', which has no " + what + " (" + config.getClass().getSimpleName() + ")")));
            }
            if (!matched) {
                throw new IllegalArgumentException(option + " " + selector.describe() + " matches no adapted layer;"
                        + " adapted layers: " + AdapterTargets.describe(slots.stream()
                                .filter(s -> methods.containsKey(s.name())).toList()));
            }
        }
    }
}
