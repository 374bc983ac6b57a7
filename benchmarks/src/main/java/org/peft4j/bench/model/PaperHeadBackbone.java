package org.peft4j.bench.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.peft4j.backbones.PaperHead;
import org.peft4j.bench.train.InputSpec;

/**
 * An ImageNet-style backbone with the CoLoRA paper head ({@link PaperHead}: {@code head_conv},
 * {@code fc1}, {@code predictions}) at {@code 3 x size x size}, optionally filled from a weights file
 * by layer name and shape ({@link WeightsFiles}); with weights the input uses the ImageNet mean
 * subtraction the weights were trained with, without them it is scaled to [0, 1].
 */
abstract class PaperHeadBackbone implements Backbone {

    private final int size;
    private final Optional<Path> weights;

    /**
     * @param size    input height and width, at least 32 (paper: 224)
     * @param weights a model file to copy the backbone from, or empty for random initialisation
     */
    PaperHeadBackbone(String name, int size, Optional<Path> weights) {
        if (size < 32) {
            throw new IllegalArgumentException(name + " needs an input size of at least 32, got " + size);
        }
        this.size = size;
        this.weights = weights;
    }

    /** The freshly initialised network with the paper head, input {@code [N, 3, size, size]}. */
    abstract ComputationGraph build(int size, int classes, long seed);

    /** The layers a weights file fills, each with the source names accepted for it. */
    abstract Map<String, List<String>> pretrainedLayers();

    /** How the network is described in reports, e.g. {@code vgg16 + paper head}. */
    abstract String title();

    @Override
    public InputSpec input() {
        return new InputSpec(3, size, weights.isPresent() ? InputSpec.Normalisation.VGG_IMAGENET
                : InputSpec.Normalisation.UNIT);
    }

    @Override
    public Model create(int classes, long seed) {
        ComputationGraph graph = build(size, classes, seed);
        weights.ifPresent(file -> WeightsFiles.load(file, graph, pretrainedLayers()));
        return graph;
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
    public String describe() {
        return title() + " (3x" + size + "x" + size + ", " + weights.map(p -> "backbone weights from " + p)
                .orElse("random initialisation: not the paper's ImageNet start") + ")";
    }
}
