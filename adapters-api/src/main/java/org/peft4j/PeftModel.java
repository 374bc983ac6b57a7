package org.peft4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.io.AdapterFile;
import org.peft4j.io.BaseFingerprint;
import org.peft4j.io.SafeTensorsException;
import org.peft4j.network.LayerSlot;
import org.peft4j.network.NetworkKind;
import org.peft4j.spi.AdaptedLayer;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.spi.MergeableLayer;

/**
 * A DL4J network with adapters, and what can be done with it. Its state is the network alone:
 * {@link Peft#wrap} gives back an equal model for a network restored with {@code ModelSerializer}.
 * Train it with the network's own {@code fit}.
 *
 * @param <N> {@code MultiLayerNetwork} or {@code ComputationGraph}
 */
public final class PeftModel<N extends Model> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final N network;
    private final NetworkKind<N> kind;

    PeftModel(N network) {
        this.network = network;
        this.kind = NetworkKind.of(network);
        if (adapted().isEmpty()) {
            throw new IllegalArgumentException("the network has no adapted layers");
        }
        Set<String> methods = new TreeSet<>();
        adapted().forEach(s -> methods.add(((AdaptedLayer) s.config()).methodName()));
        if (methods.size() != 1) {
            throw new IllegalArgumentException("the network mixes adapter methods " + methods
                    + "; a PeftModel holds one method");
        }
    }

    /** The adapted network; train it with its {@code fit}. */
    public N network() {
        return network;
    }

    /** The adapter method's name. */
    public String method() {
        return firstAdapted().methodName();
    }

    /** The adapter method's hyper-parameters. */
    public AdapterConfig config() {
        return firstAdapted().adapterConfig();
    }

    /** Names of the adapted layers, in network order. */
    public List<String> adaptedLayers() {
        return adapted().stream().map(LayerSlot::name).toList();
    }

    /**
     * Adds every adapter's delta to its frozen weights and resets the adapter and its optimiser
     * state (the paper's per-epoch merge). Outputs are unchanged up to rounding.
     *
     * @throws UnsafeMergeException when a merged weight would be NaN or infinite (nothing is changed)
     */
    public void mergeInPlace() {
        AdapterMerger.mergeInPlace(network);
    }

    /**
     * A NEW plain DL4J network with the original layer types and merged weights, computing what
     * this model computes; usable without peft4j. This model is not changed.
     */
    public N mergeAndUnload() {
        return Unloader.mergeAndUnload(network);
    }

    /** Trainable / frozen / total parameters per layer and overall. */
    public ParameterReport parameterReport() {
        return ParameterReport.of(network);
    }

    /**
     * Atomically saves the adapter alone: adapter parameters and the other trainable layers'
     * parameters, with a header describing them and a fingerprint of the frozen weights they apply
     * to (see {@link AdapterFile}). After merges ({@link #mergeInPlace}, {@link MergeEveryEpochs})
     * those are the merged weights: the file then loads only onto this network, not onto the
     * pretrained one; ship {@link #mergeAndUnload()} to hand the whole learned model on.
     *
     * @throws IllegalStateException when an adapter parameter is NaN or infinite (nothing is written)
     */
    public void saveAdapter(Path file) throws IOException {
        List<String> trainable = new ArrayList<>();
        Map<String, AdapterFile.BaseLayerInfo> base = new LinkedHashMap<>();
        Map<String, String> fingerprints = new LinkedHashMap<>();
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        Map<String, Map<String, String>> state = new LinkedHashMap<>();
        for (LayerSlot slot : kind.layers(network)) {
            Map<String, INDArray> params = slot.runtime().paramTable();
            if (slot.config() instanceof AdaptedLayer adapted) {
                Map<String, long[]> shapes = new LinkedHashMap<>();
                adapted.frozenKeys().forEach(k -> shapes.put(k, params.get(k).shape()));
                base.put(slot.name(), new AdapterFile.BaseLayerInfo(
                        adapted.baseLayer().getClass().getSimpleName(), shapes));
                fingerprints.put(slot.name(), BaseFingerprint.of(params, adapted.frozenKeys()));
                adapted.adapterKeys().forEach(k -> tensors.put(AdapterFile.tensorName(slot.name(), k), params.get(k)));
                if (slot.runtime() instanceof MergeableLayer mergeable && !mergeable.adapterState().isEmpty()) {
                    state.put(slot.name(), mergeable.adapterState());
                }
            } else if (slot.numParams() > 0 && !(slot.config() instanceof FrozenLayerWithBackprop)
                    && !(slot.config() instanceof FrozenLayer)) {
                trainable.add(slot.name());
                params.forEach((k, v) -> tensors.put(AdapterFile.tensorName(slot.name(), k), v));
            }
        }
        String outputLayer = ClassifierHead.headName(kind, network, kind.layers(network)).filter(trainable::contains)
                .orElse(null);
        Integer classes = outputLayer == null ? null
                : (int) ((FeedForwardLayer) FrozenWrappers.unwrap(slot(outputLayer).config())).getNOut();
        new AdapterFile(method(), configJson(config()), adaptedLayers(), trainable, outputLayer, classes, base, fingerprints,
                state, tensors).write(file);
    }

    /**
     * Loads adapter weights saved by {@link #saveAdapter} into this model: the same method,
     * configuration, layers and frozen base weights (checked with the file's base fingerprints; a
     * file of format version 1 has none, which is logged as a warning).
     *
     * @throws SafeTensorsException naming the file and what differs, when the file does not fit this
     *                              model; nothing is changed then
     */
    public void loadAdapterWeights(Path file) throws IOException {
        loadAdapterWeights(file, AdapterFile.read(file));
    }

    void loadAdapterWeights(Path file, AdapterFile adapter) throws IOException {
        if (!adapter.method().equals(method())) {
            throw new SafeTensorsException(file, "adapter file is for method '" + adapter.method()
                    + "', this model uses '" + method() + "'");
        }
        Map<String, INDArray> targets = new LinkedHashMap<>();
        for (LayerSlot slot : adapted()) {
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
            if (slot.runtime() instanceof MergeableLayer mergeable) {
                try {
                    mergeable.checkAdapterState(adapter.state().getOrDefault(slot.name(), Map.of()));
                } catch (IllegalArgumentException e) {
                    throw new SafeTensorsException(file, "adapter file was made for another model: layer '"
                            + slot.name() + "': " + e.getMessage(), e);
                }
            }
        }
        for (String name : adapter.trainable()) {
            slot(file, name).runtime().paramTable().forEach((k, v) -> targets.put(AdapterFile.tensorName(name, k), v));
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
        AdapterFileChecks.sameConfig(file, adapter, method(), config());
        AdapterFileChecks.warnIfBaseUnchecked(file, adapter);
        targets.forEach((name, param) -> param.assign(adapter.tensors().get(name).castTo(param.dataType())));
    }

    private static void checkShape(Path file, String what, long[] inFile, long[] inModel) throws SafeTensorsException {
        if (!Arrays.equals(inFile, inModel)) {
            throw new SafeTensorsException(file, what + " has shape " + Arrays.toString(inFile)
                    + " in the file but " + Arrays.toString(inModel) + " in this model; the file was made for another model");
        }
    }

    static String configJson(AdapterConfig config) {
        try {
            return JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + config + " as JSON", e);
        }
    }

    private LayerSlot slot(Path file, String name) throws SafeTensorsException {
        for (LayerSlot slot : kind.layers(network)) {
            if (slot.name().equals(name)) {
                return slot;
            }
        }
        throw new SafeTensorsException(file, "adapter file has weights for layer '" + name
                + "', which this model does not have");
    }

    private LayerSlot slot(String name) {
        return kind.layers(network).stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private List<LayerSlot> adapted() {
        return AdapterMerger.adaptedSlots(kind.layers(network));
    }

    private AdaptedLayer firstAdapted() {
        return (AdaptedLayer) adapted().get(0).config();
    }

    @Override
    public String toString() {
        return "PeftModel{method=" + method() + ", adapted=" + adaptedLayers() + "}";
    }
}
