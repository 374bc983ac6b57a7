package org.peft4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.io.AdapterFile;
import org.peft4j.network.LayerSlot;
import org.peft4j.spi.AdaptedLayer;

/**
 * The parameters an adapter file holds, as live views of a network's parameters: every adapted layer's adapter
 * keys and every parameter of the other trainable layers (e.g. a new head).
 *
 * @param views     tensor name ({@link AdapterFile#tensorName}) to the network's parameter view, in network order
 * @param trainable the trainable layers that are not adapted, in network order
 * @param keys      parameter keys per layer name, for resetting their optimiser state
 */
record AdapterTensors(Map<String, INDArray> views, List<String> trainable, Map<String, Set<String>> keys) {

    static AdapterTensors of(List<LayerSlot> layers) {
        Map<String, INDArray> views = new LinkedHashMap<>();
        List<String> trainable = new ArrayList<>();
        Map<String, Set<String>> keys = new LinkedHashMap<>();
        for (LayerSlot slot : layers) {
            Map<String, INDArray> params = slot.runtime().paramTable();
            List<String> held;
            if (slot.config() instanceof AdaptedLayer adapted) {
                held = adapted.adapterKeys();
            } else if (slot.numParams() > 0 && !(slot.config() instanceof FrozenLayerWithBackprop)
                    && !(slot.config() instanceof FrozenLayer)) {
                trainable.add(slot.name());
                held = List.copyOf(params.keySet());
            } else {
                continue;
            }
            held.forEach(k -> views.put(AdapterFile.tensorName(slot.name(), k), params.get(k)));
            keys.put(slot.name(), new LinkedHashSet<>(held));
        }
        return new AdapterTensors(views, trainable, keys);
    }
}
