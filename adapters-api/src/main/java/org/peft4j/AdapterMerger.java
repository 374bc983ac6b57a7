package org.peft4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.network.Finite;
import org.peft4j.network.LayerSlot;
import org.peft4j.network.NetworkKind;
import org.peft4j.network.OptimizerState;
import org.peft4j.spi.AdaptedLayer;
import org.peft4j.spi.MergeableLayer;

/**
 * Merges adapters into their frozen weights, in place: base += delta for every adapted layer,
 * then every adapter is reset and its optimiser state cleared (other layers keep theirs). All
 * merged weights are checked for NaN and infinity before any is written; one bad value refuses
 * the whole merge.
 */
final class AdapterMerger {

    private AdapterMerger() {
    }

    /** Merged values of the frozen keys per adapted layer, without writing anything. */
    static Map<String, Map<String, INDArray>> mergedBase(List<LayerSlot> slots) {
        Map<String, Map<String, INDArray>> merged = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        for (LayerSlot slot : slots) {
            MergeableLayer mergeable = (MergeableLayer) slot.runtime();
            Map<String, INDArray> params = slot.runtime().paramTable();
            Map<String, INDArray> values = new HashMap<>();
            for (Map.Entry<String, INDArray> delta : mergeable.baseDelta().entrySet()) {
                INDArray base = params.get(delta.getKey());
                if (base == null) {
                    throw new IllegalStateException("layer '" + slot.name() + "' returned a delta for unknown key '"
                            + delta.getKey() + "'");
                }
                INDArray value = base.add(delta.getValue().reshape(base.shape()).castTo(base.dataType()));
                if (!Finite.all(value)) {
                    bad.add(slot.name() + "/" + delta.getKey());
                }
                values.put(delta.getKey(), value);
            }
            merged.put(slot.name(), values);
        }
        if (!bad.isEmpty()) {
            throw new UnsafeMergeException("merge refused: the merged weights of " + bad
                    + " contain NaN or infinity; the network was left unchanged");
        }
        return merged;
    }

    static <N extends Model> void mergeInPlace(N network) {
        NetworkKind<N> kind = NetworkKind.of(network);
        List<LayerSlot> slots = adaptedSlots(kind.layers(network));
        if (slots.isEmpty()) {
            throw new IllegalArgumentException("the network has no adapted layers to merge");
        }
        Map<String, Map<String, INDArray>> merged = mergedBase(slots);
        Map<String, Set<String>> adapterKeys = new HashMap<>();
        for (LayerSlot slot : slots) {
            Map<String, INDArray> params = slot.runtime().paramTable();
            merged.get(slot.name()).forEach((key, value) -> params.get(key).assign(value));
        }
        for (LayerSlot slot : slots) {
            ((MergeableLayer) slot.runtime()).resetAdapter();
            adapterKeys.put(slot.name(), Set.copyOf(((AdaptedLayer) slot.config()).adapterKeys()));
        }
        OptimizerState.reset(kind.updater(network), adapterKeys);
    }

    /** The layers that carry an adapter. */
    static List<LayerSlot> adaptedSlots(List<LayerSlot> slots) {
        return slots.stream()
                .filter(s -> s.config() instanceof AdaptedLayer && s.runtime() instanceof MergeableLayer)
                .toList();
    }
}
