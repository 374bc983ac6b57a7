package org.peft4j;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peft4j.io.AdapterFile;
import org.peft4j.io.SafeTensorsException;
import org.peft4j.network.LayerSlot;
import org.peft4j.spi.AdaptedLayer;

/**
 * Compares the method and configuration of every adapted layer of a model with those an adapter file records
 * for it. When both the file and the model use one method and configuration throughout, the messages name the
 * method alone, as for a single-method model; otherwise they name the layer.
 */
final class FileMethods {

    private FileMethods() {
    }

    /** Refuses a file that adapts a layer with another method than the model (layers it lacks: see the caller). */
    static void sameMethods(Path file, AdapterFile adapter, List<LayerSlot> adapted) throws SafeTensorsException {
        Map<String, MethodAndConfig> model = methods(adapted);
        boolean uniform = adapter.isUniform() && model.values().stream().distinct().count() == 1;
        if (uniform && !adapter.method().equals(model.values().iterator().next().method())) {
            throw new SafeTensorsException(file, "adapter file is for method '" + adapter.method()
                    + "', this model uses '" + model.values().iterator().next().method() + "'");
        }
        for (Map.Entry<String, MethodAndConfig> layer : model.entrySet()) {
            AdapterFile.LayerMethod inFile = adapter.methods().get(layer.getKey());
            if (inFile != null && !inFile.method().equals(layer.getValue().method())) {
                throw new SafeTensorsException(file, "layer '" + layer.getKey() + "' is adapted by '" + inFile.method()
                        + "' in the adapter file but by '" + layer.getValue().method() + "' in this model");
            }
        }
    }

    /** Refuses a file whose configuration of a layer differs from the model's, naming the differing fields. */
    static void sameConfigs(Path file, AdapterFile adapter, List<LayerSlot> adapted) throws SafeTensorsException {
        Map<String, MethodAndConfig> model = methods(adapted);
        boolean uniform = adapter.isUniform() && model.values().stream().distinct().count() == 1;
        for (Map.Entry<String, MethodAndConfig> layer : model.entrySet()) {
            AdapterFile.LayerMethod inFile = adapter.methods().get(layer.getKey());
            if (inFile == null) {
                throw new SafeTensorsException(file, "adapter file has no method for layer '" + layer.getKey() + "'");
            }
            AdapterFileChecks.sameConfig(file, inFile.configJson(), inFile.method(), layer.getValue().config(),
                    uniform ? "" : " on layer '" + layer.getKey() + "'");
        }
    }

    private static Map<String, MethodAndConfig> methods(List<LayerSlot> adapted) {
        Map<String, MethodAndConfig> methods = new LinkedHashMap<>();
        for (LayerSlot slot : adapted) {
            AdaptedLayer layer = (AdaptedLayer) slot.config();
            methods.put(slot.name(), new MethodAndConfig(layer.methodName(), layer.adapterConfig()));
        }
        return methods;
    }
}
