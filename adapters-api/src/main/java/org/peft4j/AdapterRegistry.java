package org.peft4j;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.peft4j.spi.AdapterMethod;

/**
 * The adapter methods available at run time, found with {@link ServiceLoader}.
 *
 * <pre>{@code
 * AdapterRegistry registry = AdapterRegistry.fromClasspath();
 * registry.names();            // [colora, lora, lora-conv, ...]
 * registry.get("lora");        // fails listing the available names when absent
 * }</pre>
 */
public final class AdapterRegistry {

    private final Map<String, AdapterMethod<?>> methods;

    private AdapterRegistry(Map<String, AdapterMethod<?>> methods) {
        this.methods = Collections.unmodifiableMap(methods);
    }

    /** The methods registered by the jars on the class path of this class's loader. */
    public static AdapterRegistry fromClasspath() {
        return fromClassLoader(AdapterRegistry.class.getClassLoader());
    }

    /** The methods registered by the jars visible to {@code loader} (e.g. a plugin folder). */
    public static AdapterRegistry fromClassLoader(ClassLoader loader) {
        Map<String, AdapterMethod<?>> found = new TreeMap<>();
        try {
            for (AdapterMethod<?> method : ServiceLoader.load(AdapterMethod.class, loader)) {
                add(found, method);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("an adapter method plugin could not be loaded: " + e.getMessage(), e);
        }
        return new AdapterRegistry(found);
    }

    /** A registry with the given methods only (for tests and embedding). */
    public static AdapterRegistry of(AdapterMethod<?>... methods) {
        Map<String, AdapterMethod<?>> found = new TreeMap<>();
        for (AdapterMethod<?> method : methods) {
            add(found, method);
        }
        return new AdapterRegistry(found);
    }

    /** This registry plus {@code method}; fails if its name is taken. */
    public AdapterRegistry with(AdapterMethod<?> method) {
        Map<String, AdapterMethod<?>> copy = new TreeMap<>(methods);
        add(copy, method);
        return new AdapterRegistry(copy);
    }

    /** The sorted names of the available methods. */
    public Set<String> names() {
        return methods.keySet();
    }

    /** True when a method of this name is available. */
    public boolean contains(String name) {
        return methods.containsKey(name);
    }

    /**
     * The method named {@code name}.
     *
     * @throws IllegalArgumentException naming the available methods when there is none of that name
     */
    public AdapterMethod<?> get(String name) {
        AdapterMethod<?> method = methods.get(name);
        if (method == null) {
            throw new IllegalArgumentException("no adapter method named '" + name + "'; available: "
                    + (methods.isEmpty() ? "none (is an adapter module on the class path?)" : String.join(", ", names())));
        }
        return method;
    }

    private static void add(Map<String, AdapterMethod<?>> into, AdapterMethod<?> method) {
        String name = method.name();
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalStateException("adapter method " + method.getClass().getName()
                    + " has an invalid name '" + name + "' (lower-case letters, digits and '-')");
        }
        AdapterMethod<?> previous = into.putIfAbsent(name, method);
        if (previous != null && previous.getClass() != method.getClass()) {
            throw new IllegalStateException("two adapter methods are named '" + name + "': "
                    + previous.getClass().getName() + " and " + method.getClass().getName());
        }
    }

    @Override
    public String toString() {
        return "AdapterRegistry" + names();
    }
}
