package org.peft4j.bench.model;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.peft4j.LayerSelector;
import org.peft4j.backbones.VggMini;
import org.peft4j.bench.train.InputSpec;

/**
 * {@code vgg-mini} ({@link VggMini}): 1x28x28 input scaled to [0, 1]; the backbone ends at
 * {@code block3_pool}, the head is {@code fc1} + {@code predictions}; adapters target all six convolutions.
 */
public final class VggMiniBackbone implements Backbone {

    public static final String NAME = "vgg-mini";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public InputSpec input() {
        return new InputSpec(1, 28, InputSpec.Normalisation.UNIT);
    }

    @Override
    public Model create(int classes, long seed) {
        return VggMini.create(classes, seed);
    }

    @Override
    public String featureBoundary() {
        return "block3_pool";
    }

    @Override
    public List<String> headLayers() {
        return List.of("fc1");
    }

    @Override
    public String outputLayer() {
        return "predictions";
    }

    @Override
    public LayerSelector defaultTargets() {
        return LayerSelector.byType(ConvolutionLayer.class);
    }

    @Override
    public String describe() {
        return "vgg-mini (1x28x28, convs 32-32-64-64-128-128, fc1 128)";
    }
}
