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
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.buffer.DataType;
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
 * freezes every other layer except the chosen trainable ones, optionally replaces the classifier
 * head ({@link ClassifierHead}), and copies the pretrained parameters by layer name and key (names
 * are unique: the network kinds refuse a network whose layers share one). Adapters too large to
 * allocate are refused before anything is allocated ({@link AdapterBudget}).
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
        Map<String, AdapterLayer> adapted = adapt(method, peft, targets);
        AdapterBudget.ofMachine().check(method.name(), adapted.values(), dataType(network));
        Map<String, Layer> replacements = new HashMap<>(adapted);
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
            ClassifierHead head = ClassifierHead.of(kind, network, slots, peft.outputClasses().getAsInt());
            if (targetNames.contains(head.name())) {
                throw new IllegalArgumentException("layer '" + head.name() + "' is replaced by the new head of "
                        + "newOutput(" + peft.outputClasses().getAsInt() + "), so it cannot also be an adapter target");
            }
            replacements.putAll(head.layers());
            trainable.add(head.name());
            fresh.add(head.name());
        }
        Set<String> learning = new HashSet<>(targetNames);
        learning.addAll(trainable);
        for (LayerSlot slot : slots) {
            boolean gradientNeeded = kind.upstream(network, slot.name()).stream().anyMatch(learning::contains);
            if (trainable.contains(slot.name())) {
                replacements.computeIfAbsent(slot.name(), n -> FrozenWrappers.unwrap(slot.config()).clone());
            } else if (targetNames.contains(slot.name())) {
                ((AdapterLayer) replacements.get(slot.name())).setInputGradient(gradientNeeded);
            } else if (!FrozenWrappers.isFrozen(slot.config()) && (slot.numParams() > 0 || !gradientNeeded)) {
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
    private static Map<String, AdapterLayer> adapt(AdapterMethod method, PeftConfig peft, List<LayerSlot> targets) {
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
        Map<String, AdapterLayer> adapted = new LinkedHashMap<>();
        for (TargetLayer target : targetLayers) {
            adapted.put(target.name(), AdapterLayer.of(target.config(), method, config, plans.get(target.name())));
        }
        return adapted;
    }

    /** The data type the network's (and so the adapters') parameters have. */
    private static DataType dataType(Model network) {
        INDArray params = network.params();
        return params == null || params.isEmpty() ? DataType.FLOAT : params.dataType();
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

    private static void setUpdater(Layer layer, IUpdater updater) {
        if (layer instanceof AdapterLayer adapted) {
            setUpdater(adapted.getUnderlying(), updater);
        } else if (layer instanceof BaseLayer base) {
            base.setIUpdater(updater.clone());
            base.setBiasUpdater(null);
        }
    }
}
