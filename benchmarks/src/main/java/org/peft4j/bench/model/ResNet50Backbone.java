package org.peft4j.bench.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.peft4j.LayerSelector;
import org.peft4j.backbones.PaperHead;
import org.peft4j.backbones.ZooResNet50;
import org.peft4j.bench.train.InputSpec;

/**
 * The DL4J zoo's ResNet50 (v1 topology; the paper used Keras' ResNet50V2, see {@link ZooResNet50})
 * with the CoLoRA paper head at {@code 3 x size x size}: the backbone ends at
 * {@value ZooResNet50#FEATURES}, the head is {@code head_conv}, {@code fc1} and {@code predictions};
 * adapters target the convolutions of the residual stages 2-5 (the stem stays frozen, as VGG16's
 * block 1). With a weights file (a DL4J model file of this topology, or the zoo's Keras-imported
 * ImageNet file, whose layer names it shares but for the stem) every convolution and batch
 * normalisation is copied by name and shape ({@link ZooResNet50#backboneLayers()}) and the input uses
 * the ImageNet mean subtraction (Keras' "caffe" preprocessing of ResNet50 v1).
 */
public final class ResNet50Backbone implements Backbone {

    public static final String NAME = "resnet50";

    private final int size;
    private final Optional<Path> weights;

    /**
     * @param size    input height and width, at least 32 (paper: 224)
     * @param weights a model file to copy the backbone from, or empty for random initialisation
     */
    public ResNet50Backbone(int size, Optional<Path> weights) {
        if (size < 32) {
            throw new IllegalArgumentException("resnet50 needs an input size of at least 32, got " + size);
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
        ComputationGraph graph = ZooResNet50.withPaperHead(3, size, classes, seed);
        weights.ifPresent(file -> WeightsFiles.load(file, graph, ZooResNet50.backboneLayers()));
        return graph;
    }

    @Override
    public String featureBoundary() {
        return ZooResNet50.FEATURES;
    }

    @Override
    public List<String> headLayers() {
        return List.of(PaperHead.CONV, PaperHead.DENSE);
    }

    @Override
    public String outputLayer() {
        return PaperHead.OUTPUT;
    }

    @Override
    public LayerSelector defaultTargets() {
        return LayerSelector.byName("res[2-5].*").and(LayerSelector.byType(ConvolutionLayer.class));
    }

    @Override
    public String describe() {
        return "resnet50 (DL4J zoo, v1) + paper head (3x" + size + "x" + size + ", "
                + weights.map(p -> "backbone weights from " + p).orElse("random initialisation: not the paper's ImageNet start")
                + ")";
    }
}
