package org.peft4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.io.AdapterFile;
import org.peft4j.io.BaseFingerprint;
import org.peft4j.network.LayerSlot;
import org.peft4j.network.NetworkKind;
import org.peft4j.spi.AdaptedLayer;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.spi.MergeableLayer;

/**
 * The {@link AdapterFile} of an adapted network as it is now: per adapted layer its method, configuration,
 * base type and shapes, base fingerprint and adapter state; the adapter tensors and those of the other
 * trainable layers (live views, written as they are).
 */
final class AdapterFileWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AdapterFileWriter() {
    }

    static <N extends Model> AdapterFile of(N network, NetworkKind<N> kind) {
        List<LayerSlot> layers = kind.layers(network);
        AdapterTensors tensors = AdapterTensors.of(layers);
        Map<String, AdapterFile.LayerMethod> methods = new LinkedHashMap<>();
        Map<String, AdapterFile.BaseLayerInfo> base = new LinkedHashMap<>();
        Map<String, String> fingerprints = new LinkedHashMap<>();
        Map<String, Map<String, String>> state = new LinkedHashMap<>();
        for (LayerSlot slot : AdapterMerger.adaptedSlots(layers)) {
            Map<String, INDArray> params = slot.runtime().paramTable();
            AdaptedLayer adapted = (AdaptedLayer) slot.config();
            methods.put(slot.name(), new AdapterFile.LayerMethod(adapted.methodName(), configJson(adapted.adapterConfig())));
            Map<String, long[]> shapes = new LinkedHashMap<>();
            adapted.frozenKeys().forEach(k -> shapes.put(k, params.get(k).shape()));
            base.put(slot.name(), new AdapterFile.BaseLayerInfo(adapted.baseLayer().getClass().getSimpleName(), shapes));
            fingerprints.put(slot.name(), BaseFingerprint.of(params, adapted.frozenKeys()));
            Map<String, String> adapterState = ((MergeableLayer) slot.runtime()).adapterState();
            if (!adapterState.isEmpty()) {
                state.put(slot.name(), adapterState);
            }
        }
        List<String> trainable = tensors.trainable();
        String outputLayer = ClassifierHead.headName(kind, network, layers).filter(trainable::contains).orElse(null);
        Integer classes = outputLayer == null ? null : (int) ((FeedForwardLayer) FrozenWrappers.unwrap(
                layers.stream().filter(s -> s.name().equals(outputLayer)).findFirst().orElseThrow().config())).getNOut();
        return new AdapterFile(methods, trainable, outputLayer, classes, base, fingerprints, state, tensors.views());
    }

    static String configJson(AdapterConfig config) {
        try {
            return JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + config + " as JSON", e);
        }
    }
}
