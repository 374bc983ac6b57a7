package org.peft4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.io.AdapterFile;
import org.peft4j.io.SafeTensorsException;
import org.peft4j.network.LayerSlot;
import org.peft4j.network.NetworkKind;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.spi.AdapterMethod;

/**
 * Entry point: adapt a pretrained DL4J network, re-wrap an adapted one, or load a saved adapter
 * onto a base network.
 *
 * <pre>{@code
 * PeftModel<MultiLayerNetwork> model = Peft.apply(pretrained, PeftConfig.builder()
 *         .method("lora").targets(LayerSelector.byType(DenseLayer.class)).newOutput(4).build());
 * model.network().fit(trainData, epochs);
 * model.saveAdapter(Path.of("adapter.safetensors"));
 * MultiLayerNetwork plain = model.mergeAndUnload();
 * }</pre>
 */
public final class Peft {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Peft() {
    }

    /**
     * A NEW network with adapters, using the methods on the class path. The pretrained
     * {@code network} is not modified; its parameters are copied.
     */
    public static <N extends Model> PeftModel<N> apply(N network, PeftConfig config) {
        return apply(network, config, AdapterRegistry.fromClasspath());
    }

    /** As {@link #apply(Model, PeftConfig)}, with the methods of {@code registry}. */
    public static <N extends Model> PeftModel<N> apply(N network, PeftConfig config, AdapterRegistry registry) {
        Objects.requireNonNull(config, "config");
        return new PeftModel<>(AdapterInjector.inject(network, config, registry));
    }

    /** The model of an already adapted network, e.g. one restored with {@code ModelSerializer}. */
    public static <N extends Model> PeftModel<N> wrap(N adaptedNetwork) {
        return new PeftModel<>(adaptedNetwork);
    }

    /**
     * Applies a saved adapter to a base network: the same methods and configurations per layer, targets,
     * trainable layers and head as when it was saved, with the saved weights. The base must hold
     * the frozen weights the adapter was trained on: an adapter saved after merges
     * ({@link MergeEveryEpochs}, {@link PeftModel#mergeInPlace}) is refused on the pretrained
     * network, since its learned update lives in the merged weights (see
     * {@link PeftModel#saveAdapter}).
     *
     * @throws SafeTensorsException when the file is corrupt or was made for another model or base
     */
    public static <N extends Model> PeftModel<N> load(N base, Path adapterFile) throws IOException {
        return load(base, adapterFile, AdapterRegistry.fromClasspath());
    }

    /** As {@link #load(Model, Path)}, with the methods of {@code registry}. */
    public static <N extends Model> PeftModel<N> load(N base, Path adapterFile, AdapterRegistry registry)
            throws IOException {
        AdapterFile adapter = AdapterFile.read(adapterFile);
        Map<AdapterFile.LayerMethod, List<String>> layersByMethod = new LinkedHashMap<>();
        adapter.methods().forEach((layer, method) ->
                layersByMethod.computeIfAbsent(method, m -> new ArrayList<>()).add(layer));
        PeftConfig.Builder peft = PeftConfig.builder();
        for (Map.Entry<AdapterFile.LayerMethod, List<String>> rule : layersByMethod.entrySet()) {
            AdapterMethod<?> method = registry.get(rule.getKey().method());
            AdapterConfig config;
            try {
                config = JSON.readValue(rule.getKey().configJson(), method.configType());
            } catch (JsonProcessingException e) {
                throw new SafeTensorsException(adapterFile, "bad '" + method.name() + "' config in header: "
                        + e.getOriginalMessage(), e);
            }
            peft.rule(LayerSelector.names(rule.getValue()), method.name(), config);
        }
        NetworkKind<N> kind = NetworkKind.of(base);
        Map<String, LayerSlot> slots = new java.util.HashMap<>();
        kind.layers(base).forEach(s -> slots.put(s.name(), s));
        checkBase(adapterFile, adapter, slots);

        List<String> trainable = new ArrayList<>(adapter.trainable());
        if (adapter.outputLayer() != null) {
            LayerSlot output = slots.get(adapter.outputLayer());
            Optional<String> head = ClassifierHead.headName(kind, base, kind.layers(base));
            if (output == null || !head.equals(Optional.of(adapter.outputLayer()))) {
                throw new SafeTensorsException(adapterFile, "adapter file has a head for output layer '"
                        + adapter.outputLayer() + "', which is not this network's classifier head (output layers "
                        + kind.outputLayers(base) + ", head " + head.orElse("none") + ")");
            }
            if (FrozenWrappers.unwrap(output.config()) instanceof FeedForwardLayer ff
                    && ff.getNOut() != adapter.outputClasses()) {
                peft.newOutput(adapter.outputClasses());
                trainable.remove(adapter.outputLayer());
            }
        }
        if (!trainable.isEmpty()) {
            peft.trainable(LayerSelector.names(trainable));
        }
        PeftModel<N> model = apply(base, peft.build(), registry);
        model.loadAdapterWeights(adapterFile, adapter);
        return model;
    }

    private static void checkBase(Path file, AdapterFile adapter, Map<String, LayerSlot> slots)
            throws SafeTensorsException {
        for (String target : adapter.targets()) {
            LayerSlot slot = slots.get(target);
            AdapterFile.BaseLayerInfo info = adapter.base().get(target);
            if (slot == null || info == null) {
                throw new SafeTensorsException(file, "adapter file was made for another model: it adapts layer '"
                        + target + "', which " + (slot == null ? "the base network does not have" : "has no base info"));
            }
            if (!slot.config().getClass().getSimpleName().equals(info.type())) {
                throw new SafeTensorsException(file, "adapter file was made for another model: layer '" + target
                        + "' is a " + info.type() + " there but a " + slot.config().getClass().getSimpleName() + " here");
            }
            Map<String, INDArray> params = slot.runtime().paramTable();
            for (Map.Entry<String, long[]> shape : info.shapes().entrySet()) {
                INDArray param = params.get(shape.getKey());
                if (param == null || !Arrays.equals(param.shape(), shape.getValue())) {
                    throw new SafeTensorsException(file, "adapter file was made for another model: layer '" + target
                            + "' parameter " + shape.getKey() + " has shape " + Arrays.toString(shape.getValue())
                            + " there but " + (param == null ? "is absent" : Arrays.toString(param.shape())) + " here");
                }
            }
        }
        for (String name : adapter.trainable()) {
            if (!slots.containsKey(name)) {
                throw new SafeTensorsException(file, "adapter file was made for another model: it trains layer '"
                        + name + "', which the base network does not have");
            }
        }
    }
}
