package org.peft4j.spi;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a method decided for one adapted layer when it saw all of them ({@link AdapterMethod#plan}): which of
 * its parameters it shares with other layers, and any setting of its own. Part of the layer's
 * configuration, so it travels with the network's JSON and {@code ModelSerializer} files, and with Java
 * serialization (Spark training ships layer configurations that way).
 *
 * @param shared   the parameters this layer shares, by key, with the group that shares each; the group's
 *                 owner (first member in network order) holds the tensor, the others read it
 * @param settings the method's own per-layer settings (e.g. tCURLoRA's slice index), as text
 */
public record LayerPlan(Map<String, ParameterGroup> shared, Map<String, String> settings) implements Serializable {

    /** A layer that shares nothing and has no settings. */
    public static final LayerPlan ALONE = new LayerPlan(Map.of(), Map.of());

    public LayerPlan {
        shared = Map.copyOf(Objects.requireNonNull(shared, "shared"));
        settings = Map.copyOf(Objects.requireNonNull(settings, "settings"));
    }

    /** True when {@code layer} holds parameter {@code key}: it is not shared, or {@code layer} owns its group. */
    public boolean holds(String layer, String key) {
        ParameterGroup group = shared.get(key);
        return group == null || group.isOwner(layer);
    }

    /** The setting {@code name}. */
    public String setting(String name) {
        String value = settings.get(name);
        if (value == null) {
            throw new IllegalStateException("layer plan has no setting '" + name + "' (settings: " + settings.keySet() + ")");
        }
        return value;
    }

    @Override
    public String toString() {
        return "LayerPlan{shared=" + new TreeMap<>(shared) + ", settings=" + new TreeMap<>(settings) + "}";
    }
}
