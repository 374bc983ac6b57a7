package org.peft4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * {@code format_version=2}, {@code method}, {@code config} (the method's config record as JSON),
 * {@code targets} and {@code trainable} (JSON lists of layer names), {@code output_layer} and
 * {@code output_classes} (when the output layer is trainable), {@code base} (JSON: per target
 * layer, its DL4J type and frozen parameter shapes, so the file is checked against the base
 * network), {@code base_sha256} (JSON: per target layer, the {@link BaseFingerprint} of the frozen
 * weights the adapter was trained on, after any merges), {@code state} (JSON, optional: per layer,
 * the frozen adapter state of {@link org.peft4j.spi.MergeableLayer#adapterState()}, when any layer
 * has some) and {@code sha256} (the {@link AdapterChecksum}: SHA-256 over every other header field,
 * the tensors' names, dtypes and shapes, and the tensor bytes).
 *
 * <p>Format version 3 is written when the adapted layers differ in method or configuration (several
 * rules, rank or alpha patterns): it has no {@code method} and {@code config} fields but a {@code layers}
 * field (JSON: per target layer, in network order, {@code {"method": name, "config": {...}}}); every
 * other field is as in version 2. An adapter whose layers all share one method and configuration is
 * written as version 2, exactly as before version 3 existed.
 *
 * <p>Files of format version 1 (written before {@code base_sha256} and {@code sha256} existed) are
 * still read: their tensor bytes are checked against their {@code data_sha256}, but their header is
 * not covered by any checksum and they carry no base fingerprints ({@link #baseFingerprints()} is
 * empty), so loading them cannot check the base network; peft4j logs a warning when it loads one.
 *
 * <p>Adapters holding NaN or infinite values are neither written nor read.
 *
 * @param methods          per adapted layer, in network order: its method and configuration
 * @param trainable        other trainable layers whose full parameters are stored
 * @param outputLayer      the network's output layer when it is trainable, else null
 * @param outputClasses    that layer's class count, else null
 * @param base             per target layer: base type and frozen parameter shapes
 * @param baseFingerprints per target layer: the {@link BaseFingerprint} of its frozen weights; empty
 *                         for a version-1 file
 * @param state            per layer, its frozen adapter state (layers without any are left out)
 * @param tensors          {@code <layer>/<key>} to value, row-major
 */
public record AdapterFile(Map<String, LayerMethod> methods, List<String> trainable,
        String outputLayer, Integer outputClasses, Map<String, BaseLayerInfo> base,
        Map<String, String> baseFingerprints, Map<String, Map<String, String>> state,
        Map<String, INDArray> tensors) {

    public static final String FORMAT = "peft4j-adapter";
    public static final String VERSION = "2";
    /** The format version of adapters whose layers differ in method or configuration. */
    public static final String MULTI_METHOD_VERSION = "3";
    /** The first format version, still read: no header checksum, no base fingerprints. */
    public static final String VERSION_1 = "1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a target layer looked like in the base network.
     *
     * @param type   its DL4J configuration class, simple name (e.g. {@code DenseLayer})
     * @param shapes its frozen parameter shapes by key
     */
    public record BaseLayerInfo(String type, Map<String, long[]> shapes) {
    }

    /**
     * The method and configuration of one adapted layer.
     *
     * @param method     adapter method name
     * @param configJson the method's configuration as JSON
     */
    public record LayerMethod(String method, String configJson) {
        public LayerMethod {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(configJson, "configJson");
        }
    }

    public AdapterFile {
        methods = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(methods));
        trainable = List.copyOf(trainable);
        base = Map.copyOf(base);
        baseFingerprints = Map.copyOf(baseFingerprints);
        state = Map.copyOf(state);
        tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /**
     * An adapter whose layers {@code targets} all have method {@code method} with configuration
     * {@code configJson} (see the record components for the others).
     */
    public AdapterFile(String method, String configJson, List<String> targets, List<String> trainable,
            String outputLayer, Integer outputClasses, Map<String, BaseLayerInfo> base,
            Map<String, String> baseFingerprints, Map<String, Map<String, String>> state,
            Map<String, INDArray> tensors) {
        this(uniform(method, configJson, targets), trainable, outputLayer, outputClasses, base, baseFingerprints,
                state, tensors);
    }

    /** The adapted layer names, in network order. */
    public List<String> targets() {
        return List.copyOf(methods.keySet());
    }

    /** True when every adapted layer has the same method and configuration (format version 1 or 2). */
    public boolean isUniform() {
        return new java.util.HashSet<>(methods.values()).size() <= 1;
    }

    /**
     * The adapter method name; for an adapter with several methods, their names in network order of first use,
     * joined with {@code +} (e.g. {@code colora+lora}); see {@link #methods()}.
     */
    public String method() {
        return String.join("+", methods.values().stream().map(LayerMethod::method).distinct().toList());
    }

    /**
     * The configuration as JSON, the same for every layer.
     *
     * @throws IllegalStateException when the layers differ in method or configuration (see {@link #methods()})
     */
    public String configJson() {
        if (!isUniform()) {
            throw new IllegalStateException("the adapter's layers differ in method or configuration, so it has no"
                    + " single configuration; see methods()");
        }
        return methods.values().iterator().next().configJson();
    }

    /** The format version this adapter is written in: 1 without base fingerprints, 2 when uniform, else 3. */
    public String formatVersion() {
        return baseFingerprints.isEmpty() ? VERSION_1 : isUniform() ? VERSION : MULTI_METHOD_VERSION;
    }

    private static Map<String, LayerMethod> uniform(String method, String configJson, List<String> targets) {
        Map<String, LayerMethod> methods = new LinkedHashMap<>();
        targets.forEach(t -> methods.put(t, new LayerMethod(method, configJson)));
        return methods;
    }

    /** The tensor name of parameter {@code key} of layer {@code layer}. */
    public static String tensorName(String layer, String key) {
        return layer + "/" + key;
    }

    /**
     * Atomically writes this adapter to {@code file}.
     *
     * @throws IllegalStateException naming each tensor with NaN or infinite values, and how many;
     *                               nothing is written then
     */
    public void write(Path file) throws IOException {
        List<String> nonFinite = FiniteTensors.describe(tensors);
        if (!nonFinite.isEmpty()) {
            throw new IllegalStateException("cannot save the adapter to " + file + ": NaN or infinite values in "
                    + String.join(", ", nonFinite) + " (did training diverge? try a lower learning rate);"
                    + " nothing was written");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        if (isUniform()) {
            metadata.put("format_version", VERSION);
            metadata.put("method", method());
            metadata.put("config", configJson());
        } else {
            metadata.put("format_version", MULTI_METHOD_VERSION);
            metadata.put(LayerMethodsHeader.KEY, LayerMethodsHeader.write(methods));
        }
        metadata.put("targets", JSON.writeValueAsString(targets()));
        metadata.put("trainable", JSON.writeValueAsString(trainable));
        if (outputLayer != null) {
            metadata.put("output_layer", outputLayer);
            metadata.put("output_classes", String.valueOf(outputClasses));
        }
        metadata.put("base", JSON.writeValueAsString(base));
        metadata.put("base_sha256", JSON.writeValueAsString(new java.util.TreeMap<>(baseFingerprints)));
        if (!state.isEmpty()) {
            metadata.put("state", JSON.writeValueAsString(state));
        }
        metadata.put(AdapterChecksum.KEY, AdapterChecksum.of(metadata, tensors));
        SafeTensors.write(file, metadata, tensors);
    }

    /**
     * Reads and checks an adapter file: format and version (from the header alone, before any
     * tensor is read), checksum, finite values and header fields.
     *
     * @throws SafeTensorsException naming the file when it is corrupt, truncated or not an adapter
     */
    public static AdapterFile read(Path file) throws IOException {
        SafeTensorsReader.Header header = SafeTensorsReader.readHeader(file);
        Map<String, String> meta = header.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new SafeTensorsException(file, "not a peft4j adapter file (format=" + meta.get("format") + ")");
        }
        String version = meta.get("format_version");
        if (!VERSION.equals(version) && !VERSION_1.equals(version) && !MULTI_METHOD_VERSION.equals(version)) {
            throw new SafeTensorsException(file, "adapter format version " + version + " is not supported"
                    + " (this peft4j reads versions " + VERSION_1 + ", " + VERSION + " and " + MULTI_METHOD_VERSION + ")");
        }
        Map<String, INDArray> tensors = SafeTensorsReader.readTensors(file, header);
        checkChecksum(file, meta, tensors, !VERSION_1.equals(version));
        List<String> nonFinite = FiniteTensors.describe(tensors);
        if (!nonFinite.isEmpty()) {
            throw new SafeTensorsException(file, "the adapter holds NaN or infinite values in "
                    + String.join(", ", nonFinite) + "; it was saved from a diverged training and is refused");
        }
        try {
            String outputLayer = meta.get("output_layer");
            List<String> targets = JSON.readValue(require(file, meta, "targets"), new TypeReference<List<String>>() { });
            Map<String, LayerMethod> methods = MULTI_METHOD_VERSION.equals(version)
                    ? LayerMethodsHeader.read(file, require(file, meta, LayerMethodsHeader.KEY), targets)
                    : uniform(require(file, meta, "method"), require(file, meta, "config"), targets);
            return new AdapterFile(methods,
                    JSON.readValue(require(file, meta, "trainable"), new TypeReference<List<String>>() { }),
                    outputLayer,
                    outputLayer == null ? null : Integer.valueOf(require(file, meta, "output_classes")),
                    JSON.readValue(require(file, meta, "base"), new TypeReference<Map<String, BaseLayerInfo>>() { }),
                    VERSION_1.equals(version) ? Map.of() : JSON.readValue(require(file, meta, "base_sha256"),
                            new TypeReference<Map<String, String>>() { }),
                    meta.containsKey("state") ? JSON.readValue(meta.get("state"),
                            new TypeReference<Map<String, Map<String, String>>>() { }) : Map.of(),
                    tensors);
        } catch (JsonProcessingException | NumberFormatException e) {
            throw new SafeTensorsException(file, "bad adapter header: " + e.getMessage(), e);
        }
    }

    private static void checkChecksum(Path file, Map<String, String> meta, Map<String, INDArray> tensors,
            boolean wholeFile) throws SafeTensorsException {
        String expected = require(file, meta, wholeFile ? AdapterChecksum.KEY : "data_sha256");
        String actual = wholeFile ? AdapterChecksum.of(meta, tensors)
                : com.google.common.hash.Hashing.sha256().hashBytes(SafeTensors.dataSection(tensors)).toString();
        if (!expected.equals(actual)) {
            throw new SafeTensorsException(file, "checksum mismatch: the " + (wholeFile ? "header or tensor data"
                    : "tensor data") + " is corrupt (sha256 " + actual + ", header says " + expected + ")");
        }
    }

    private static String require(Path file, Map<String, String> meta, String key) throws SafeTensorsException {
        String value = meta.get(key);
        if (value == null) {
            throw new SafeTensorsException(file, "adapter header lacks '" + key + "'");
        }
        return value;
    }
}
