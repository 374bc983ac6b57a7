package org.peft4j.backbones;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.zoo.model.ResNet50;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.peft4j.Seeds;

/**
 * The DL4J zoo's ResNet50 ({@link ResNet50#graphBuilder()}) with its top ("avgpool", "output")
 * replaced by the CoLoRA paper head ({@link PaperHead}) on the last residual stage,
 * {@code res5c_branch} [N, 2048, h, w]. Input {@code input}: [N, channels, size, size], size at least 32.
 *
 * <p><b>What the zoo provides, and what differs from the paper.</b> The paper fine-tunes Keras'
 * ResNet50<i>V2</i> (He et al. 2016, "identity mappings": pre-activation units, BN and ReLU
 * before each convolution, stride in the 3x3 convolution, 23,564,800 parameters without its top,
 * 7x7x2048 features at 224x224). The zoo's configuration is ResNet50 v1 in the Keras/Caffe
 * layout (post-activation: convolution with bias, then BN, ReLU after the residual sum; stride in
 * the first 1x1 convolution; layer names {@code res2a_branch2a}, {@code bn2a_branch2a}, ...,
 * stem {@code stem-cnn1}/{@code stem-batch1}; 23,587,712 backbone parameters as Keras' ResNet50)
 * with two departures from Keras' v1: stage 2 starts with stride 2 (Keras: 1), so the features are
 * 4x4 at 224x224 instead of 7x7, and its top is a 3x3 max pooling (Keras: global average). The
 * zoo's ImageNet file ({@code resnet50_dl4j_inference.v3.zip}) is a Keras import and has Keras'
 * own topology and names ({@code conv1}, {@code bn_conv1}, ..., {@code fc1000}), not this one
 * (deeplearning4j issues 5463 and 4790). To fine-tune that file with its own topology, use
 * {@link #graftPaperHead}; {@link #withPaperHead} builds the zoo's configuration.
 *
 * <p>Paper head at 224x224x3 with 4 classes: 262,272 + 262,272 + 516 = 525,060 parameters on the
 * zoo topology's 4x4x2048 features; 24,112,772 in total.
 */
public final class ZooResNet50 {

    /** The vertex whose output the head takes: the last residual unit's ReLU. */
    public static final String FEATURES = "res5c_branch";

    private ZooResNet50() {
    }

    /**
     * A freshly initialised network (He-initialised, Adam lr 1e-4; the zoo's L1 1e-7 and L2 5e-5 kept).
     *
     * @param channels input channels (1 or 3)
     * @param size     input height and width, at least 32
     * @param classes  output classes
     * @param seed     initialisation seed
     */
    public static ComputationGraph withPaperHead(int channels, int size, int classes, long seed) {
        ComputationGraph graph = new ComputationGraph(configuration(channels, size, classes, seed, DataType.FLOAT));
        graph.init();
        return graph;
    }

    /** The configuration of {@link #withPaperHead}, in the given data type. */
    public static ComputationGraphConfiguration configuration(int channels, int size, int classes, long seed,
            DataType dataType) {
        if (channels < 1 || size < 32 || classes < 1) {
            throw new IllegalArgumentException("ResNet50 needs channels >= 1, size >= 32 and classes >= 1; got channels="
                    + channels + ", size=" + size + ", classes=" + classes);
        }
        ComputationGraphConfiguration.GraphBuilder graph = ResNet50.builder()
                .seed(Seeds.nd4j(seed)).inputShape(new int[] {channels, size, size}).numClasses(classes)
                .updater(new Adam(1e-4)).weightInit(new WeightInitRelu())
                .build().graphBuilder();
        graph.removeVertex("output", true).removeVertex("avgpool", true);
        ComputationGraphConfiguration conf = PaperHead.addTo(graph, FEATURES, classes).build();
        conf.setDataType(dataType);
        return conf;
    }

    /**
     * The layers that pretrained weights fill (every convolution and batch normalisation), each
     * with the source names accepted for it: its own name, and for the stem the Keras names
     * {@code conv1} and {@code bn_conv1} used by the zoo's Keras-imported ImageNet file.
     */
    public static Map<String, List<String>> backboneLayers() {
        Map<String, List<String>> layers = new LinkedHashMap<>();
        ComputationGraphConfiguration conf = configuration(3, 224, 2, 0, DataType.FLOAT);
        for (Map.Entry<String, GraphVertex> vertex : conf.getVertices().entrySet()) {
            if (vertex.getValue() instanceof LayerVertex layer && !PaperHead.layerNames().contains(vertex.getKey())
                    && (layer.getLayerConf().getLayer() instanceof ConvolutionLayer
                            || layer.getLayerConf().getLayer() instanceof BatchNormalization)) {
                List<String> names = new ArrayList<>(List.of(vertex.getKey()));
                if (vertex.getKey().equals("stem-cnn1")) {
                    names.add("conv1");
                } else if (vertex.getKey().equals("stem-batch1")) {
                    names.add("bn_conv1");
                }
                layers.put(vertex.getKey(), List.copyOf(names));
            }
        }
        return layers;
    }

    /**
     * The paper head grafted onto a pretrained ResNet50 in its own topology (e.g. the zoo's
     * Keras-imported ImageNet file, whose last residual ReLU is {@code features}), replacing its
     * pooling and 1000-class top. See {@link PaperHead#graftOnto}.
     *
     * @param features the last residual ReLU of {@code pretrained}
     */
    public static ComputationGraph graftPaperHead(ComputationGraph pretrained, String features, int channels,
            int size, int classes, long seed) {
        return PaperHead.graftOnto(pretrained, features, InputType.convolutional(size, size, channels), classes, seed);
    }
}
