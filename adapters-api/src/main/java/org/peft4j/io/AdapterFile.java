package org.peft4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An adapter saved on its own: a safetensors file whose tensors are the adapter parameters
 * ({@code <layer>/<key>}) and the parameters of the other trainable layers (e.g. a new head), and
 * whose readable header says what they belong to.
 *
 * <p>Header ({@code __metadata__}, all strings): {@code format=peft4j-adapter},
 * {@code format_version=1}, {@code method}, {@code config} (the method's config record as JSON),
 * {@code targets} and {@code trainable} (JSON lists of layer names), {@code output_layer} and
 * {@code output_classes} (when the output layer is trainable), {@code base} (JSON: per target
 * layer, its DL4J type and frozen parameter shapes, so the file is checked against the base
 * network), {@code state} (JSON, optional: per layer, the frozen adapter state of
 * {@link org.peft4j.spi.MergeableLayer#adapterState()}, when any layer has some) and {@code data_sha256}
 * (SHA-256 of the tensor bytes).
 *
 * @param method        adapter method name
 * @param configJson    the method's configuration as JSON
 * @param targets       adapted layer names, in network order
 * @param trainable     other trainable layers whose full parameters are stored
 * @param outputLayer   the network's output layer when it is trainable, else null
 * @param outputClasses that layer's class count, else null
 * @param base          per target layer: base type and frozen parameter shapes
 * @param state         per layer, its frozen adapter state (layers without any are left out)
 * @param tensors       {@code <layer>/<key>} to value, row-major
 */
public record AdapterFile(String method, String configJson, List<String> targets, List<String> trainable,
        String outputLayer, Integer outputClasses, Map<String, BaseLayerInfo> base,
        Map<String, Map<String, String>> state, Map<String, INDArray> tensors) {

    public static final String FORMAT = "peft4j-adapter";
    public static final String VERSION = "1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a target layer looked like in the base network.
     *
     * @param type   its DL4J configuration class, simple name (e.g. {@code DenseLayer})
     * @param shapes its frozen parameter shapes by key
     */
    public record BaseLayerInfo(String type, Map<String, long[]> shapes) {
    }

    public AdapterFile {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(configJson, "configJson");
        targets = List.copyOf(targets);
        trainable = List.copyOf(trainable);
        base = Map.copyOf(base);
        state = Map.copyOf(state);
        tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** The tensor name of parameter {@code key} of layer {@code layer}. */
    public static String tensorName(String layer, String key) {
        return layer + "/" + key;
    }

    /** Atomically writes this adapter to {@code file}. */
    public void write(Path file) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("format_version", VERSION);
        metadata.put("method", method);
        metadata.put("config", configJson);
        metadata.put("targets", JSON.writeValueAsString(targets));
        metadata.put("trainable", JSON.writeValueAsString(trainable));
        if (outputLayer != null) {
            metadata.put("output_layer", outputLayer);
            metadata.put("output_classes", String.valueOf(outputClasses));
        }
        metadata.put("base", JSON.writeValueAsString(base));
        if (!state.isEmpty()) {
            metadata.put("state", JSON.writeValueAsString(state));
        }
        metadata.put("data_sha256", sha256(tensors));
        SafeTensors.write(file, metadata, tensors);
    }

    /**
     * Reads and checks an adapter file: format, version, checksum and header fields.
     *
     * @throws SafeTensorsException naming the file when it is corrupt, truncated or not an adapter
     */
    public static AdapterFile read(Path file) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, String> meta = contents.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new SafeTensorsException(file, "not a peft4j adapter file (format=" + meta.get("format") + ")");
        }
        if (!VERSION.equals(meta.get("format_version"))) {
            throw new SafeTensorsException(file, "adapter format version " + meta.get("format_version")
                    + " is not supported (this peft4j reads version " + VERSION + ")");
        }
        String expected = require(file, meta, "data_sha256");
        String actual = sha256(contents.tensors());
        if (!expected.equals(actual)) {
            throw new SafeTensorsException(file, "checksum mismatch: the tensor data is corrupt (sha256 "
                    + actual + ", header says " + expected + ")");
        }
        try {
            String outputLayer = meta.get("output_layer");
            return new AdapterFile(require(file, meta, "method"), require(file, meta, "config"),
                    JSON.readValue(require(file, meta, "targets"), new TypeReference<List<String>>() { }),
                    JSON.readValue(require(file, meta, "trainable"), new TypeReference<List<String>>() { }),
                    outputLayer,
                    outputLayer == null ? null : Integer.valueOf(require(file, meta, "output_classes")),
                    JSON.readValue(require(file, meta, "base"),
                            new TypeReference<Map<String, BaseLayerInfo>>() { }),
                    meta.containsKey("state") ? JSON.readValue(meta.get("state"),
                            new TypeReference<Map<String, Map<String, String>>>() { }) : Map.of(),
                    contents.tensors());
        } catch (JsonProcessingException | NumberFormatException e) {
            throw new SafeTensorsException(file, "bad adapter header: " + e.getMessage(), e);
        }
    }

    private static String require(Path file, Map<String, String> meta, String key) throws SafeTensorsException {
        String value = meta.get(key);
        if (value == null) {
            throw new SafeTensorsException(file, "adapter header lacks '" + key + "'");
        }
        return value;
    }

    private static String sha256(Map<String, INDArray> tensors) {
        return Hashing.sha256().hashBytes(SafeTensors.dataSection(tensors)).toString();
    }
}
