package org.peft4j;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.network.LayerSlot;
import org.peft4j.network.NetworkKind;
import org.peft4j.spi.AdaptedLayer;

/**
 * Unloading: a NEW plain DL4J network with the original layer types (adapted layers become their
 * base layers, frozen wrappers are removed, other layers keep their parameters), either with the
 * adapters merged into the frozen weights (computing what the adapted network computes) or with the
 * frozen weights as they are (the base network). The adapted network is not modified.
 */
final class Unloader {

    private Unloader() {
    }

    /** The network with every adapter's delta added to its frozen weights. */
    static <N extends Model> N mergeAndUnload(N network) {
        NetworkKind<N> kind = NetworkKind.of(network);
        return rebuild(network, AdapterMerger.mergedBase(AdapterMerger.adaptedSlots(kind.layers(network))));
    }

    /** The network with its frozen weights as they are, the adapters dropped. */
    static <N extends Model> N unload(N network) {
        return rebuild(network, Map.of());
    }

    /** @param merged values replacing frozen parameters, per layer and key */
    private static <N extends Model> N rebuild(N network, Map<String, Map<String, INDArray>> merged) {
        NetworkKind<N> kind = NetworkKind.of(network);
        List<LayerSlot> slots = kind.layers(network);
        Map<String, Layer> plain = new HashMap<>();
        Map<String, Map<String, INDArray>> params = new HashMap<>();
        for (LayerSlot slot : slots) {
            if (slot.config() instanceof AdaptedLayer adapted) {
                plain.put(slot.name(), adapted.baseLayer());
            } else if (slot.config() instanceof FrozenLayerWithBackprop frozen) {
                plain.put(slot.name(), frozen.getUnderlying().clone());
            }
            params.put(slot.name(), slot.runtime().paramTable());
        }
        return kind.rebuild(network, plain, (layer, key) -> {
            INDArray value = merged.getOrDefault(layer, Map.of()).get(key);
            return value != null ? value : params.get(layer).get(key);
        }, false);
    }
}
