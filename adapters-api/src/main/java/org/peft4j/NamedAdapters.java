package org.peft4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named adapters of one model: the active one lives in the network's parameters, the others as
 * {@link AdapterValues} in memory. The adapter a model is built or loaded with is named {@value #DEFAULT}.
 */
final class NamedAdapters {

    static final String DEFAULT = "default";

    /** Every name in the order added; the active one maps to null (its values are the network's). */
    private final Map<String, AdapterValues> adapters = new LinkedHashMap<>();
    private String active = DEFAULT;

    NamedAdapters() {
        adapters.put(DEFAULT, null);
    }

    String active() {
        return active;
    }

    List<String> names() {
        return List.copyOf(adapters.keySet());
    }

    /** Refuses a blank name or one already in use. */
    void requireNew(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an adapter name must not be blank");
        }
        if (adapters.containsKey(name)) {
            throw new IllegalArgumentException("an adapter named '" + name + "' is already loaded; delete it first");
        }
    }

    void add(String name, AdapterValues values) {
        requireNew(name);
        adapters.put(name, values);
    }

    /**
     * Makes {@code name} the active adapter.
     *
     * @param current the values of the active adapter now, kept under its name
     * @return the values of {@code name}, to write into the network
     */
    AdapterValues activate(String name, AdapterValues current) {
        requireKnown(name);
        AdapterValues next = adapters.get(name);
        adapters.put(active, current);
        adapters.put(name, null);
        active = name;
        return next;
    }

    /** Forgets an inactive adapter. */
    void delete(String name) {
        requireKnown(name);
        if (name.equals(active)) {
            throw new IllegalStateException("adapter '" + name + "' is the active one and cannot be deleted; "
                    + "activate another first (setActiveAdapter)");
        }
        adapters.remove(name);
    }

    void requireKnown(String name) {
        if (!adapters.containsKey(name)) {
            throw new IllegalArgumentException("no adapter named '" + name + "'; loaded: " + names());
        }
    }
}
