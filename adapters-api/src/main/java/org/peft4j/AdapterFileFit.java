package org.peft4j;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.io.AdapterFile;
import org.peft4j.io.SafeTensorsException;
import org.peft4j.network.LayerSlot;
import org.peft4j.spi.AdaptedLayer;
import org.peft4j.spi.MergeableLayer;

/**
 * Checks that an adapter file fits an adapted network (methods and configurations per layer, layers, shapes, frozen base
 * weights, adapter state) and finds the network parameters its tensors belong in. Reads nothing into the
 * network.
 */
final class AdapterFileFit {

    private AdapterFileFit() {
    }

    /**
     * The network's parameter views by tensor name, one for every tensor of the file.
     *
     * @throws SafeTensorsException naming the file and what differs, when the file does not fit
     */
    static Map<String, INDArray> targets(Path file, AdapterFile adapter, List<LayerSlot> layers)
            throws SafeTensorsException {
        List<LayerSlot> adapted = AdapterMerger.adaptedSlots(layers);
        FileMethods.sameMethods(file, adapter, adapted);
        Map<String, INDArray> targets = new LinkedHashMap<>();
        for (LayerSlot slot : adapted) {
            AdaptedLayer layer = (AdaptedLayer) slot.config();
            Map<String, INDArray> params = slot.runtime().paramTable();
            AdapterFile.BaseLayerInfo info = adapter.base().get(slot.name());
            if (info == null) {
                throw new SafeTensorsException(file, "adapter file has no adapter for layer '" + slot.name()
                        + "'; it was made for another model (its layers: " + adapter.targets() + ")");
            }
            for (String key : layer.frozenKeys()) {
                checkShape(file, slot.name() + "/" + key + " (base)", info.shapes().get(key), params.get(key).shape());
            }
            AdapterFileChecks.sameBase(file, adapter, slot.name(), params, layer.frozenKeys());
            layer.adapterKeys().forEach(k -> targets.put(AdapterFile.tensorName(slot.name(), k), params.get(k)));
            try {
                ((MergeableLayer) slot.runtime()).checkAdapterState(adapter.state().getOrDefault(slot.name(), Map.of()));
            } catch (IllegalArgumentException e) {
                throw new SafeTensorsException(file, "adapter file was made for another model: layer '"
                        + slot.name() + "': " + e.getMessage(), e);
            }
        }
        for (String name : adapter.trainable()) {
            slot(file, layers, name).runtime().paramTable()
                    .forEach((k, v) -> targets.put(AdapterFile.tensorName(name, k), v));
        }
        for (String name : adapter.tensors().keySet()) {
            if (!targets.containsKey(name)) {
                throw new SafeTensorsException(file, "tensor '" + name + "' matches no adapter parameter of this model");
            }
        }
        for (Map.Entry<String, INDArray> target : targets.entrySet()) {
            INDArray value = adapter.tensors().get(target.getKey());
            if (value == null) {
                throw new SafeTensorsException(file, "adapter file lacks tensor '" + target.getKey() + "'");
            }
            checkShape(file, target.getKey(), value.shape(), target.getValue().shape());
        }
        FileMethods.sameConfigs(file, adapter, adapted);
        AdapterFileChecks.warnIfBaseUnchecked(file, adapter);
        return targets;
    }

    private static void checkShape(Path file, String what, long[] inFile, long[] inModel) throws SafeTensorsException {
        if (!Arrays.equals(inFile, inModel)) {
            throw new SafeTensorsException(file, what + " has shape " + Arrays.toString(inFile)
                    + " in the file but " + Arrays.toString(inModel) + " in this model; the file was made for another model");
        }
    }

    private static LayerSlot slot(Path file, List<LayerSlot> layers, String name) throws SafeTensorsException {
        for (LayerSlot slot : layers) {
            if (slot.name().equals(name)) {
                return slot;
            }
        }
        throw new SafeTensorsException(file, "adapter file has weights for layer '" + name
                + "', which this model does not have");
    }
}
