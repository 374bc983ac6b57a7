package org.peft4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.peft4j.layers.AdapterLayer;
import org.peft4j.layers.FrozenWithBackprop;
import org.peft4j.natives.Dl4jHelpers;
import org.peft4j.network.LayerSlot;
import org.peft4j.network.NetworkKind;
import org.peft4j.spi.AdaptedLayer;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.spi.AdapterMethod;
import org.peft4j.spi.LayerPlan;
import org.peft4j.spi.TargetLayer;
import org.peft4j.spi.WeightShape;

/**
 * Builds the adapted network: selects targets, asks the method for adapted layer configurations,
 * freezes every other layer except the chosen trainable ones, optionally replaces the output
 * layer, and copies the pretrained parameters by key.
 */
final class AdapterInjector {

    private AdapterInjector() {
    }

    static <N extends Model> N inject(N network, PeftConfig peft, AdapterRegistry registry) {
        // the rebuilt network's plain DL4J layers (frozen, trainable head) get DL4J's oneDNN helpers
        Dl4jHelpers.enable();
        NetworkKind<N> kind = NetworkKind.of(network);
        List<LayerSlot> slots = kind.layers(network);
        refuseAdapted(slots);
        AdapterMethod<?> method = registry.get(peft.method());
        List<LayerSlot> targets = select(slots, peft.targets(), "target");
        for (LayerSlot target : targets) {
            Optional<String> reason = method.unsupportedReason(target.config()).or(() -> coreReason(target.config()));
            if (reason.isPresent()) {
                throw new IllegalArgumentException("layer '" + target.name() + "' ("
                        + target.config().getClass().getSimpleName() + ") cannot be adapted by '"
                        + method.name() + "': " + reason.get());
            }
        }
        Map<String, Layer> replacements = new HashMap<>(adapt(method, peft, targets));
        Set<String> targetNames = targets.stream().map(LayerSlot::name).collect(Collectors.toSet());

        Set<String> trainable = new HashSet<>();
        if (peft.trainable().isPresent()) {
            for (LayerSlot slot : select(slots, peft.trainable().get(), "trainable")) {
                if (targetNames.contains(slot.name())) {
                    throw new IllegalArgumentException("layer '" + slot.name()
                            + "' is selected both as an adapter target and as a trainable layer");
                }
                trainable.add(slot.name());
            }
        }
        Set<String> fresh = new HashSet<>();
        if (peft.outputClasses().isPresent()) {
            LayerSlot output = outputSlot(kind, network, slots);
            if (targetNames.contains(output.name())) {
                throw new IllegalArgumentException("output layer '" + output.name()
                        + "' is replaced by a new head, so it cannot also be an adapter target");
            }
            replacements.put(output.name(), newHead(output, peft.outputClasses().getAsInt()));
            trainable.add(output.name());
            fresh.add(output.name());
        }
        Set<String> learning = new HashSet<>(targetNames);
        learning.addAll(trainable);
        for (LayerSlot slot : slots) {
            boolean gradientNeeded = kind.upstream(network, slot.name()).stream().anyMatch(learning::contains);
            if (trainable.contains(slot.name())) {
                replacements.computeIfAbsent(slot.name(), n -> unfrozen(slot.config()).clone());
            } else if (targetNames.contains(slot.name())) {
                ((AdapterLayer) replacements.get(slot.name())).setInputGradient(gradientNeeded);
            } else if (!isFrozen(slot.config()) && (slot.numParams() > 0 || !gradientNeeded)) {
                // frozen; with nothing trainable upstream, no backward pass at all (parameter-free layers too)
                FrozenWithBackprop frozen = new FrozenWithBackprop(slot.config().clone());
                frozen.setInputGradient(gradientNeeded);
                replacements.put(slot.name(), frozen);
            }
        }
        replacements.forEach((name, layer) -> layer.setLayerName(name));
        peft.updater().ifPresent(u -> {
            targetNames.forEach(n -> setUpdater(replacements.get(n), u));
            trainable.forEach(n -> setUpdater(replacements.get(n), u));
        });

        Map<String, Map<String, INDArray>> pretrained = new HashMap<>();
        slots.forEach(s -> pretrained.put(s.name(), s.runtime().paramTable()));
        return kind.rebuild(network, replacements,
                (layer, key) -> fresh.contains(layer) ? null : pretrained.get(layer).get(key), true);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, Layer> adapt(AdapterMethod method, PeftConfig peft, List<LayerSlot> targets) {
        AdapterConfig config = peft.config().orElseGet(method::defaultConfig);
        if (!method.configType().isInstance(config)) {
            throw new IllegalArgumentException("method '" + method.name() + "' takes a "
                    + method.configType().getSimpleName() + ", got " + config.getClass().getSimpleName());
        }
        List<TargetLayer> targetLayers = targets.stream()
                .map(s -> new TargetLayer(s.name(), s.index(), s.config().clone()))
                .toList();
        Map<String, LayerPlan> plans = method.plan(targetLayers, config);
        if (!plans.keySet().equals(targetLayers.stream().map(TargetLayer::name).collect(Collectors.toSet()))) {
            throw new IllegalStateException("method '" + method.name() + "' planned layers " + plans.keySet()
                    + " for targets " + targetLayers.stream().map(TargetLayer::name).toList());
        }
        Map<String, Layer> adapted = new LinkedHashMap<>();
        for (TargetLayer target : targetLayers) {
            adapted.put(target.name(), AdapterLayer.of(target.config(), method, config, plans.get(target.name())));
        }
        return adapted;
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

    private static List<LayerSlot> select(List<LayerSlot> slots, LayerSelector selector, String role) {
        List<LayerSlot> selected = new ArrayList<>();
        for (LayerSlot slot : slots) {
            if (selector.matches(slot.name(), slot.config())) {
                selected.add(slot);
            }
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("the " + role + " selector " + selector.describe()
                    + " matches no layer; layers: " + slots.stream()
                            .map(s -> s.name() + " (" + s.config().getClass().getSimpleName() + ")")
                            .collect(Collectors.joining(", ")));
        }
        return selected;
    }

    private static void refuseAdapted(List<LayerSlot> slots) {
        for (LayerSlot slot : slots) {
            if (slot.config() instanceof AdaptedLayer adapted) {
                throw new IllegalArgumentException("layer '" + slot.name() + "' is already adapted by '"
                        + adapted.methodName() + "'; merge and unload the network before adapting it again");
            }
        }
    }

    private static <N extends Model> LayerSlot outputSlot(NetworkKind<N> kind, N network, List<LayerSlot> slots) {
        List<String> outputs = kind.outputLayers(network);
        if (outputs.size() != 1) {
            throw new IllegalArgumentException("newOutput needs a network with one output layer; this one has "
                    + outputs);
        }
        return slots.stream().filter(s -> s.name().equals(outputs.get(0))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("output '" + outputs.get(0) + "' is not a layer"));
    }

    private static Layer newHead(LayerSlot output, int classes) {
        Layer config = unfrozen(output.config()).clone();
        if (!(config instanceof FeedForwardLayer head)) {
            throw new IllegalArgumentException("output layer '" + output.name() + "' ("
                    + config.getClass().getSimpleName() + ") has no nOut to replace");
        }
        head.setNOut(classes);
        return head;
    }

    private static Layer unfrozen(Layer config) {
        if (config instanceof FrozenLayerWithBackprop frozen) {
            return frozen.getUnderlying();
        }
        if (config instanceof FrozenLayer frozen) {
            return frozen.getLayer();
        }
        return config;
    }

    private static boolean isFrozen(Layer config) {
        return config instanceof FrozenLayerWithBackprop || config instanceof FrozenLayer;
    }

    private static void setUpdater(Layer layer, IUpdater updater) {
        if (layer instanceof AdapterLayer adapted) {
            setUpdater(adapted.getUnderlying(), updater);
        } else if (layer instanceof BaseLayer base) {
            base.setIUpdater(updater.clone());
            base.setBiasUpdater(null);
        }
    }
}
