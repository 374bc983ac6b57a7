package org.peft4j;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Chooses layers of a network by name and/or configuration type. Selecting nothing is an error
 * where a selector is used (a typo must not silently train nothing).
 *
 * <pre>{@code
 * LayerSelector.byName("block[2-5]_conv\\d")                    // regex on the full name
 *     .and(LayerSelector.byType(ConvolutionLayer.class));       // exact class or subclass
 * LayerSelector.names("fc1", "fc2");                             // exact names
 * }</pre>
 */
public interface LayerSelector {

    /** True when the layer named {@code name} with configuration {@code config} is selected. */
    boolean matches(String name, Layer config);

    /** Human-readable description, used in error messages. */
    String describe();

    /** Layers whose whole name matches the regular expression {@code regex}. */
    static LayerSelector byName(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return new Described((name, config) -> pattern.matcher(name).matches(), "name ~ /" + regex + "/");
    }

    /** Layers whose configuration is an instance of one of {@code types}. */
    @SafeVarargs
    static LayerSelector byType(Class<? extends Layer>... types) {
        List<Class<? extends Layer>> list = List.of(types);
        String names = list.stream().map(Class::getSimpleName).collect(Collectors.joining("|"));
        return new Described((name, config) -> list.stream().anyMatch(t -> t.isInstance(config)),
                "type in {" + names + "}");
    }

    /** Layers with exactly these names. */
    static LayerSelector names(String... names) {
        return names(Arrays.asList(names));
    }

    /** Layers with exactly these names. */
    static LayerSelector names(List<String> names) {
        Set<String> set = Set.copyOf(names);
        return new Described((name, config) -> set.contains(name), "name in " + names);
    }

    /** Both this and {@code other}. */
    default LayerSelector and(LayerSelector other) {
        Objects.requireNonNull(other, "other");
        LayerSelector self = this;
        return new Described((n, c) -> self.matches(n, c) && other.matches(n, c),
                "(" + describe() + " and " + other.describe() + ")");
    }

    /** This or {@code other}. */
    default LayerSelector or(LayerSelector other) {
        Objects.requireNonNull(other, "other");
        LayerSelector self = this;
        return new Described((n, c) -> self.matches(n, c) || other.matches(n, c),
                "(" + describe() + " or " + other.describe() + ")");
    }

    /** A predicate with its description. */
    record Described(Predicate predicate, String describe) implements LayerSelector {
        @Override
        public boolean matches(String name, Layer config) {
            return predicate.test(name, config);
        }

        @Override
        public String toString() {
            return describe;
        }
    }

    /** The test behind a {@link Described} selector. */
    @FunctionalInterface
    interface Predicate {
        boolean test(String name, Layer config);
    }
}
