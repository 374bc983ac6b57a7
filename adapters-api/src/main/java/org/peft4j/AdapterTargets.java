package org.peft4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.peft4j.network.LayerSlot;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.spi.AdapterMethod;
import org.peft4j.spi.WeightShape;

/**
 * Which method, with which configuration, adapts each layer: resolves a {@link PeftConfig}'s rules and
 * its rank and alpha patterns ({@link HyperParameterPatterns}) against a network's layers. Refuses, naming
 * the layer and the rules or selectors involved: a rule matching no layer, a layer matched by two rules, a
 * configuration of the wrong type, and a layer the method or the execution core cannot adapt.
 */
final class AdapterTargets {

    /**
     * One layer to adapt.
     *
     * @param slot   the layer
     * @param method the method adapting it
     * @param config its configuration, after rank and alpha patterns
     */
    record Target(LayerSlot slot, AdapterMethod<?> method, AdapterConfig config) {
    }

    private AdapterTargets() {
    }

    /** The layers to adapt, in network order. */
    static List<Target> resolve(List<LayerSlot> slots, PeftConfig peft, AdapterRegistry registry) {
        Map<String, AdapterRule> ruleOf = new LinkedHashMap<>();
        for (AdapterRule rule : peft.rules()) {
            registry.get(rule.method());
            for (LayerSlot slot : select(slots, rule.targets(), "target")) {
                AdapterRule previous = ruleOf.putIfAbsent(slot.name(), rule);
                if (previous != null) {
                    throw new IllegalArgumentException("layer '" + slot.name() + "' is matched by two rules, ("
                            + previous.describe() + ") and (" + rule.describe() + "); a layer can be adapted by"
                            + " one rule only: narrow a selector, e.g. with .and(...)");
                }
            }
        }
        Map<String, AdapterConfig> configs = new LinkedHashMap<>();
        Map<String, AdapterMethod<?>> methods = new LinkedHashMap<>();
        for (LayerSlot slot : slots) {
            AdapterRule rule = ruleOf.get(slot.name());
            if (rule != null) {
                AdapterMethod<?> method = registry.get(rule.method());
                checkAdaptable(slot, method);
                methods.put(slot.name(), method);
                configs.put(slot.name(), config(method, rule));
            }
        }
        Map<String, AdapterConfig> patterned = HyperParameterPatterns.apply(peft, slots, methods, configs);
        List<Target> targets = new ArrayList<>();
        for (LayerSlot slot : slots) {
            if (methods.containsKey(slot.name())) {
                targets.add(new Target(slot, methods.get(slot.name()), patterned.get(slot.name())));
            }
        }
        return targets;
    }

    /**
     * The layers {@code selector} matches, in network order.
     *
     * @param role what the selector is for, in the error message (e.g. {@code target})
     * @throws IllegalArgumentException naming the selector and the layers when it matches none
     */
    static List<LayerSlot> select(List<LayerSlot> slots, LayerSelector selector, String role) {
        List<LayerSlot> selected = new ArrayList<>();
        for (LayerSlot slot : slots) {
            if (selector.matches(slot.name(), slot.config())) {
                selected.add(slot);
            }
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("the " + role + " selector " + selector.describe()
                    + " matches no layer; layers: " + describe(slots));
        }
        return selected;
    }

    /** E.g. {@code conv1 (ConvolutionLayer), fc1 (DenseLayer)}. */
    static String describe(List<LayerSlot> slots) {
        return slots.stream().map(s -> s.name() + " (" + s.config().getClass().getSimpleName() + ")")
                .collect(Collectors.joining(", "));
    }

    private static AdapterConfig config(AdapterMethod<?> method, AdapterRule rule) {
        AdapterConfig config = rule.config().orElseGet(method::defaultConfig);
        if (!method.configType().isInstance(config)) {
            throw new IllegalArgumentException("method '" + method.name() + "' takes a "
                    + method.configType().getSimpleName() + ", got " + config.getClass().getSimpleName());
        }
        return config;
    }

    private static void checkAdaptable(LayerSlot target, AdapterMethod<?> method) {
        if (FrozenWrappers.isFrozen(target.config())) {
            throw new IllegalArgumentException("layer '" + target.name() + "' is frozen by DL4J ("
                    + target.config().getClass().getSimpleName() + " around "
                    + FrozenWrappers.unwrap(target.config()).getClass().getSimpleName() + ", e.g. from "
                    + "TransferLearning's setFeatureExtractor); peft4j adapts only unfrozen layers and freezes "
                    + "the others itself: freeze only the layers below it in DL4J, or none");
        }
        Optional<String> reason = method.unsupportedReason(target.config()).or(() -> coreReason(target.config()));
        if (reason.isPresent()) {
            throw new IllegalArgumentException("layer '" + target.name() + "' ("
                    + target.config().getClass().getSimpleName() + ") cannot be adapted by '"
                    + method.name() + "': " + reason.get());
        }
    }

    /** Why the execution core cannot run {@code layer} as an adapted layer, or empty. */
    private static Optional<String> coreReason(Layer layer) {
        if (WeightShape.of(layer).isEmpty()) {
            return Optional.of("peft4j adapts DenseLayer, OutputLayer, ConvolutionLayer, Convolution1DLayer and "
                    + "Convolution3D, not " + layer.getClass().getSimpleName());
        }
        if (layer.getConstraints() != null && !layer.getConstraints().isEmpty()) {
            return Optional.of("weight constraints " + layer.getConstraints() + " cannot apply to the merged weight");
        }
        if (layer instanceof BaseLayer base && base.getWeightNoise() != null) {
            return Optional.of("weight noise (e.g. DropConnect) on the frozen weight is not supported");
        }
        return Optional.empty();
    }
}
