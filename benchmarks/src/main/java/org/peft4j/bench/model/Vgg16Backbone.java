package org.peft4j.bench.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.peft4j.LayerSelector;
import org.peft4j.backbones.Vgg16;

/**
 * VGG16 with the CoLoRA paper head ({@link Vgg16#withPaperHead}) at {@code 3 x size x size}:
 * the backbone ends at {@code block5_pool}; adapters target the convolutions of blocks 2-5 (the
 * official code's choice). A weights file (a DL4J model zip such as the zoo's VGG16 ImageNet file,
 * or Keras' {@code vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5}) fills the 13 convolutions by
 * layer name and shape ({@link Vgg16#backboneLayers()}).
 */
public final class Vgg16Backbone extends PaperHeadBackbone {

    public static final String NAME = "vgg16";

    /**
     * @param size    input height and width, at least 32 (paper: 224)
     * @param weights a model file to copy the block1-5 convolutions from, or empty for random initialisation
     */
    public Vgg16Backbone(int size, Optional<Path> weights) {
        super(NAME, size, weights);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    ComputationGraph build(int size, int classes, long seed) {
        return Vgg16.withPaperHead(3, size, classes, seed);
    }

    @Override
    Map<String, List<String>> pretrainedLayers() {
        return Vgg16.backboneLayers();
    }

    @Override
    String title() {
        return "vgg16 + paper head";
    }

    @Override
    public String featureBoundary() {
        return "block5_pool";
    }

    @Override
    public LayerSelector defaultTargets() {
        return LayerSelector.byName("block[2-5]_conv\\d").and(LayerSelector.byType(ConvolutionLayer.class));
    }
}
