package org.peft4j.bench.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.peft4j.LayerSelector;
import org.peft4j.backbones.Vgg16;
import org.peft4j.bench.train.InputSpec;

/**
 * VGG16 with the CoLoRA paper head ({@link Vgg16#withPaperHead}) at {@code 3 x size x size}:
 * the backbone ends at {@code block5_pool}, the head is {@code head_conv}, {@code fc1} and
 * {@code predictions}; adapters target the convolutions of blocks 2-5 (the official code's choice).
 * With a weights file (a DL4J model zip such as the zoo's VGG16 ImageNet file, or Keras'
 * {@code vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5}) the 13 convolutions are copied from it
 * by layer name and shape ({@link Vgg16#backboneLayers()}) and the input uses the ImageNet VGG mean
 * subtraction.
 */
public final class Vgg16Backbone implements Backbone {

    public static final String NAME = "vgg16";

    private final int size;
    private final Optional<Path> weights;

    /**
     * @param size    input height and width, at least 32 (paper: 224)
     * @param weights a DL4J model file to copy the block1-5 convolutions from, or empty for random initialisation
     */
    public Vgg16Backbone(int size, Optional<Path> weights) {
        if (size < 32) {
            throw new IllegalArgumentException("vgg16 needs an input size of at least 32, got " + size);
        }
        this.size = size;
        this.weights = weights;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public InputSpec input() {
        return new InputSpec(3, size, weights.isPresent() ? InputSpec.Normalisation.VGG_IMAGENET
                : InputSpec.Normalisation.UNIT);
    }

    @Override
    public Model create(int classes, long seed) {
        ComputationGraph graph = Vgg16.withPaperHead(3, size, classes, seed);
        weights.ifPresent(file -> WeightsFiles.load(file, graph, Vgg16.backboneLayers()));
        return graph;
    }

    @Override
    public String featureBoundary() {
        return "block5_pool";
    }

    @Override
    public List<String> headLayers() {
        return List.of("head_conv", "fc1");
    }

    @Override
    public String outputLayer() {
        return "predictions";
    }

    @Override
    public LayerSelector defaultTargets() {
        return LayerSelector.byName("block[2-5]_conv\\d").and(LayerSelector.byType(ConvolutionLayer.class));
    }

    @Override
    public String describe() {
        return "vgg16 + paper head (3x" + size + "x" + size + ", "
                + weights.map(p -> "conv weights from " + p).orElse("random initialisation: not the paper's ImageNet start") + ")";
    }
}
