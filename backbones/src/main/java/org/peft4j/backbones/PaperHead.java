package org.peft4j.backbones;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.Seeds;

/**
 * The classification head of the CoLoRA paper (Rivera &amp; Hoyos), put on a convolutional
 * feature map [N, C, h, w]: a 1x1 convolution C -> 128 + ReLU ({@code head_conv}), flatten
 * (128·h·w), Dense 128 + ReLU ({@code fc1}), and a softmax output over {@code classes} trained
 * with cross-entropy ({@code predictions}; the paper's "Dense n logits").
 *
 * <p>Parameters: {@code (C·128 + 128) + (128·h·w·128 + 128) + (128·classes + classes)}; for
 * VGG16 at 224x224 (C = 512, h = w = 7, 4 classes) 65,664 + 802,944 + 516 = 869,124.
 */
public final class PaperHead {

    /** The 1x1 convolution. */
    public static final String CONV = "head_conv";
    /** The hidden dense layer. */
    public static final String DENSE = "fc1";
    /** The softmax output layer. */
    public static final String OUTPUT = "predictions";
    /** Width of the 1x1 convolution and of the dense layer. */
    public static final int WIDTH = 128;

    private PaperHead() {
    }

    /** The head's layer names, in order. */
    public static List<String> layerNames() {
        return List.of(CONV, DENSE, OUTPUT);
    }

    /**
     * Adds the head after vertex {@code features} and makes {@code predictions} the only output.
     * Activations and weight initialisation are set here (ReLU, He init), so the head does not
     * depend on the builder's global defaults.
     */
    public static ComputationGraphConfiguration.GraphBuilder addTo(ComputationGraphConfiguration.GraphBuilder graph,
            String features, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("the paper head needs classes >= 1, got " + classes);
        }
        return graph
                .addLayer(CONV, new ConvolutionLayer.Builder(1, 1).nOut(WIDTH).activation(Activation.RELU)
                        .weightInit(WeightInit.RELU).build(), features)
                .addLayer(DENSE, new DenseLayer.Builder().nOut(WIDTH).activation(Activation.RELU)
                        .weightInit(WeightInit.RELU).build(), CONV)
                .addLayer(OUTPUT, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), DENSE)
                .setOutputs(OUTPUT);
    }

    /**
     * A NEW network: {@code pretrained} up to vertex {@code features}, with its parameters, and
     * the paper head after it in place of everything that followed (pooling, flatten, the old
     * classifier). The pretrained topology is kept as it is, which is what its weights were
     * trained with; {@code pretrained} is not modified.
     *
     * @param features the vertex whose output [N, C, h, w] the head takes, e.g. the last
     *     residual ReLU of a ResNet
     * @param input    the input the network will be fed, e.g. {@code InputType.convolutional(224, 224, 3)}
     * @throws IllegalArgumentException naming the vertex when it is absent, is not a feature
     *     map, is not followed by every output, or when a head layer name is taken
     */
    public static ComputationGraph graftOnto(ComputationGraph pretrained, String features, InputType input,
            int classes, long seed) {
        if (classes < 1) {
            throw new IllegalArgumentException("the paper head needs classes >= 1, got " + classes);
        }
        ComputationGraphConfiguration conf = pretrained.getConfiguration().clone();
        if (!conf.getVertices().containsKey(features)) {
            throw new IllegalArgumentException("the pretrained network has no vertex '" + features
                    + "' to put the paper head on; its outputs are " + conf.getNetworkOutputs());
        }
        Set<String> top = descendants(conf.getVertexInputs(), features);
        if (!top.containsAll(conf.getNetworkOutputs())) {
            throw new IllegalArgumentException("not every output of the pretrained network " + conf.getNetworkOutputs()
                    + " follows vertex '" + features + "'; the head replaces everything after it");
        }
        for (String name : layerNames()) {
            if (conf.getVertices().containsKey(name) && !top.contains(name)) {
                throw new IllegalArgumentException("the pretrained network already has a vertex '" + name
                        + "' before '" + features + "'; the paper head needs that name");
            }
        }
        // the activation types of the part that is kept: the old top may not fit this input size
        conf.getVertices().keySet().removeAll(top);
        conf.getVertexInputs().keySet().removeAll(top);
        conf.setNetworkOutputs(List.of(features));
        InputType type = conf.getLayerActivationTypes(false, input).get(features);
        if (!(type instanceof InputType.InputTypeConvolutional map)) {
            throw new IllegalArgumentException("vertex '" + features + "' gives " + type
                    + " for input " + input + "; the paper head needs a feature map [N, C, h, w]");
        }
        TransferLearning.GraphBuilder graft = new TransferLearning.GraphBuilder(pretrained)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().seed(Seeds.nd4j(seed)).build());
        top.forEach(graft::removeVertexAndConnections);
        return graft
                .addLayer(CONV, new ConvolutionLayer.Builder(1, 1).nIn(map.getChannels()).nOut(WIDTH)
                        .activation(Activation.RELU).weightInit(WeightInit.RELU).build(), features)
                .addLayer(DENSE, new DenseLayer.Builder().nIn(WIDTH * map.getHeight() * map.getWidth()).nOut(WIDTH)
                        .activation(Activation.RELU).weightInit(WeightInit.RELU).build(),
                        new CnnToFeedForwardPreProcessor(map.getHeight(), map.getWidth(), WIDTH), CONV)
                .addLayer(OUTPUT, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(WIDTH).nOut(classes)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), DENSE)
                .setOutputs(OUTPUT)
                .build();
    }

    private static Set<String> descendants(Map<String, List<String>> vertexInputs, String from) {
        Set<String> found = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(from));
        while (!todo.isEmpty()) {
            String current = todo.pop();
            vertexInputs.forEach((vertex, inputs) -> {
                if (inputs.contains(current) && found.add(vertex)) {
                    todo.push(vertex);
                }
            });
        }
        return found;
    }
}
