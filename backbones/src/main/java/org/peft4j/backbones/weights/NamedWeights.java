package org.peft4j.backbones.weights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.network.LayerSlot;
import org.peft4j.network.NetworkKind;

/**
 * Pretrained parameters by layer name and DL4J parameter key ({@code W}, {@code b}, and for batch
 * normalisation {@code gamma}, {@code beta}, {@code mean}, {@code var} or {@code log10stdev}),
 * in DL4J layouts: a 2D convolution's {@code W} is [C_out, C_in, kH, kW], a dense layer's
 * {@code W} [nIn, nOut], biases [1, n] or [n].
 *
 * @param origin where the weights come from (a file path, a model name), for error messages
 * @param layers layer name -> parameter key -> value, in source order
 */
public record NamedWeights(String origin, Map<String, Map<String, INDArray>> layers) {

    public NamedWeights {
        if (origin == null || layers == null) {
            throw new IllegalArgumentException("NamedWeights needs an origin and layers, got " + origin + " " + layers);
        }
        Map<String, Map<String, INDArray>> copy = new LinkedHashMap<>();
        layers.forEach((name, params) -> copy.put(name, Collections.unmodifiableMap(new LinkedHashMap<>(params))));
        layers = Collections.unmodifiableMap(copy);
    }

    /** The parameters of every layer of {@code network} that has parameters (views, not copies). */
    public static NamedWeights of(Model network, String origin) {
        Map<String, Map<String, INDArray>> layers = new LinkedHashMap<>();
        for (LayerSlot slot : NetworkKind.of(network).layers(network)) {
            if (slot.numParams() > 0) {
                layers.put(slot.name(), slot.runtime().paramTable());
            }
        }
        return new NamedWeights(origin, layers);
    }

    /** The layer names. */
    public Set<String> names() {
        return layers.keySet();
    }
}
