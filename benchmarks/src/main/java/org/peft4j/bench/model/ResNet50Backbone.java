package org.peft4j.bench.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.peft4j.LayerSelector;
import org.peft4j.backbones.ZooResNet50;

/**
 * The DL4J zoo's ResNet50 (v1 topology; the paper used Keras' ResNet50V2, see {@link ZooResNet50})
 * with the CoLoRA paper head at {@code 3 x size x size}: the backbone ends at
 * {@value ZooResNet50#FEATURES}; adapters target the convolutions of the residual stages 2-5 (the
 * stem stays frozen, as VGG16's block 1). A weights file (a DL4J model file of this topology, or the
 * zoo's Keras-imported ImageNet file, whose layer names it shares but for the stem) fills every
 * convolution and batch normalisation by name and shape ({@link ZooResNet50#backboneLayers()}).
 */
public final class ResNet50Backbone extends PaperHeadBackbone {

    public static final String NAME = "resnet50";

    /**
     * @param size    input height and width, at least 32 (paper: 224)
     * @param weights a model file to copy the backbone from, or empty for random initialisation
     */
    public ResNet50Backbone(int size, Optional<Path> weights) {
        super(NAME, size, weights);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    ComputationGraph build(int size, int classes, long seed) {
        return ZooResNet50.withPaperHead(3, size, classes, seed);
    }

    @Override
    Map<String, List<String>> pretrainedLayers() {
        return ZooResNet50.backboneLayers();
    }

    @Override
    String title() {
        return "resnet50 (DL4J zoo, v1) + paper head";
    }

    @Override
    public String featureBoundary() {
        return ZooResNet50.FEATURES;
    }

    @Override
    public LayerSelector defaultTargets() {
        return LayerSelector.byName("res[2-5].*").and(LayerSelector.byType(ConvolutionLayer.class));
    }
}
