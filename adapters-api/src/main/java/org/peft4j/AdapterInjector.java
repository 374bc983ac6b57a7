package org.peft4j;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

/**
 * Builds the adapted network: resolves the rules to targets ({@link AdapterTargets}), asks each method for
 * adapted layer configurations ({@link AdapterPlanner}),
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
        List<AdapterTargets.Target> targets = AdapterTargets.resolve(slots, peft, registry);
        Map<String, AdapterLayer> adapted = AdapterPlanner.adapt(targets);
        AdapterBudget.ofMachine().check(targets.stream().map(t -> t.method().name()).distinct()
                .collect(Collectors.joining("+")), adapted.values(), dataType(network));
        Map<String, Layer> replacements = new HashMap<>(adapted);
        Set<String> targetNames = Set.copyOf(adapted.keySet());

        Set<String> trainable = new HashSet<>();
        if (peft.trainable().isPresent()) {
            for (LayerSlot slot : AdapterTargets.select(slots, peft.trainable().get(), "trainable")) {
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

    /** The data type the network's (and so the adapters') parameters have. */
    private static DataType dataType(Model network) {
        INDArray params = network.params();
        return params == null || params.isEmpty() ? DataType.FLOAT : params.dataType();
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
