package org.peft4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code layers} header field of a format-3 adapter file: per adapted layer, in network order, its
 * method and configuration, e.g. {@code {"conv1":{"method":"colora","config":{"pointwiseGain":1.0}},
 * "fc1":{"method":"lora","config":{"rank":8,...}}}}.
 */
final class LayerMethodsHeader {

    static final String KEY = "layers";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LayerMethodsHeader() {
    }

    static String write(Map<String, AdapterFile.LayerMethod> methods) throws JsonProcessingException {
        ObjectNode layers = JSON.createObjectNode();
        for (Map.Entry<String, AdapterFile.LayerMethod> layer : methods.entrySet()) {
            ObjectNode entry = layers.putObject(layer.getKey());
            entry.put("method", layer.getValue().method());
            entry.set("config", JSON.readTree(layer.getValue().configJson()));
        }
        return JSON.writeValueAsString(layers);
    }

    /**
     * Reads the field, checking that it names exactly the layers of {@code targets}.
     *
     * @throws SafeTensorsException naming the file when the field is malformed
     */
    static Map<String, AdapterFile.LayerMethod> read(Path file, String value, List<String> targets)
            throws SafeTensorsException, JsonProcessingException {
        JsonNode layers = JSON.readTree(value);
        if (!layers.isObject()) {
            throw new SafeTensorsException(file, "bad adapter header: '" + KEY + "' is not a JSON object");
        }
        Map<String, AdapterFile.LayerMethod> methods = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = layers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> layer = it.next();
            JsonNode method = layer.getValue().get("method");
            JsonNode config = layer.getValue().get("config");
            if (method == null || !method.isTextual() || config == null) {
                throw new SafeTensorsException(file, "bad adapter header: layer '" + layer.getKey() + "' in '" + KEY
                        + "' needs a \"method\" name and a \"config\"");
            }
            methods.put(layer.getKey(), new AdapterFile.LayerMethod(method.asText(), JSON.writeValueAsString(config)));
        }
        if (!List.copyOf(methods.keySet()).equals(targets)) {
            throw new SafeTensorsException(file, "bad adapter header: '" + KEY + "' describes layers "
                    + methods.keySet() + " but the targets are " + targets);
        }
        return methods;
    }
}
