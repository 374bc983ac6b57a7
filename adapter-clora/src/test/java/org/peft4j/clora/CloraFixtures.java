package org.peft4j.clora;

import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.AdapterRegistry;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.testkit.ConvNets;
import org.peft4j.testkit.Nets;

/**
 * Small "pretrained" networks whose adapted layers share pools, with pools of different owners: in each, one
 * layer owns its down pool while its up pool is owned by an earlier layer, and another layer owns neither.
 */
final class CloraFixtures {

    static final int IN = 6;

    private CloraFixtures() {
    }

    static AdapterRegistry registry() {
        return AdapterRegistry.of(new CloraMethod());
    }

    private static NeuralNetConfiguration.Builder base(DataType type, long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(type).updater(new Sgd(0.1))
                .weightInit(WeightInit.XAVIER).l1(1e-3).weightDecay(1e-2);
    }

    /**
     * {@code d1 (6->8 tanh) -> d2 (8->8 tanh) -> d3 (8->5 sigmoid, no bias) -> out (5->3)}. Pools: down
     * {@code nIn=6 {d1}}, {@code nIn=8 {d2, d3}}; up {@code nOut=8 {d1, d2}}, {@code nOut=5 {d3}}.
     */
    static MultiLayerNetwork mlp(DataType type) {
        MultiLayerConfiguration conf = base(type, 42).list()
                .layer(new DenseLayer.Builder().name("d1").nOut(8).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().name("d2").nOut(8).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().name("d3").nOut(5).hasBias(false).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(ConvNets.CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(IN)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * {@code a (in 6->5 tanh)}, {@code b (in 6->5 sigmoid)}, {@code c (b 5->5 tanh)}, {@code out (a, c)}. Pools:
     * down {@code nIn=6 {a, b}}, {@code nIn=5 {c}}; up {@code nOut=5 {a, b, c}}.
     */
    static ComputationGraph graph(DataType type) {
        ComputationGraphConfiguration conf = base(type, 43).graphBuilder().addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nOut(5).activation(Activation.SIGMOID).build(), "in")
                .addLayer("c", new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build(), "b")
                .addVertex("ac", new MergeVertex(), "a", "c")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(ConvNets.CLASSES)
                        .activation(Activation.SOFTMAX).build(), "ac")
                .setOutputs("out").setInputTypes(InputType.feedForward(IN)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** 12 examples of {@link #IN} features for the dense networks. */
    static DataSet denseData(DataType type) {
        return ConvNets.data(type, 12, IN);
    }

    /**
     * NCHW 2x6x5: conv1 3x3 Same 2->4 (tanh), conv2 3x3 stride 2 Truncate 4->4 (sigmoid), conv3 3x3 Same 4->4 no
     * bias (tanh), output. Pools: down {@code (2,3x3) {conv1}}, {@code (4,3x3) {conv2, conv3}}; up
     * {@code 4 {conv1, conv2, conv3}}.
     */
    static MultiLayerNetwork cnn(DataType type) {
        MultiLayerConfiguration conf = base(type, 44).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv1").nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv2").nOut(4).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.SIGMOID).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv3").nOut(4).hasBias(false)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(ConvNets.CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(6, 5, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Features of {@link #cnn}: [N, 2, 6, 5]. */
    static DataSet cnnData(DataType type) {
        return ConvNets.data(type, ConvNets.BATCH, 2, 6, 5);
    }

    /**
     * NHWC 6x6x3 graph: a 2x2 Same dilation 2, 3->4 (tanh); b 3x3 Same 4->4 (softsign); c 3x3 Truncate padding 1,
     * 4->2 (tanh); pooling; output. Pools: down {@code (3,2x2) {a}}, {@code (4,3x3) {b, c}}; up {@code 4 {a, b}},
     * {@code 2 {c}}.
     */
    static ComputationGraph cnnGraph(DataType type) {
        ComputationGraphConfiguration conf = base(type, 45).graphBuilder().addInputs("in")
                .addLayer("a", new ConvolutionLayer.Builder(2, 2).nOut(4).dilation(2, 2).dataFormat(CNN2DFormat.NHWC)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build(), "in")
                .addLayer("b", new ConvolutionLayer.Builder(3, 3).nOut(4).dataFormat(CNN2DFormat.NHWC)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.SOFTSIGN).build(), "a")
                .addLayer("c", new ConvolutionLayer.Builder(3, 3).nOut(2).padding(1, 1).dataFormat(CNN2DFormat.NHWC)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.TANH).build(), "b")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(ConvNets.CLASSES)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").setInputTypes(InputType.convolutional(6, 6, 3, CNN2DFormat.NHWC)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** Features of {@link #cnnGraph}: [N, 6, 6, 3]. */
    static DataSet cnnGraphData(DataType type) {
        return ConvNets.data(type, ConvNets.BATCH, 6, 6, 3);
    }

    /**
     * NCW 2x9: k1 k=3 Same 2->4 (tanh), k2 k=3 Causal 4->4 (tanh), k3 k=3 Truncate stride 2 4->3 no bias
     * (sigmoid), pooling, output. Pools: down {@code (2,3) {k1}}, {@code (4,3) {k2, k3}}; up {@code 4 {k1, k2}},
     * {@code 3 {k3}}.
     */
    static MultiLayerNetwork conv1d(DataType type) {
        MultiLayerConfiguration conf = base(type, 46).list()
                .layer(new Convolution1DLayer.Builder(3).name("k1").nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build())
                .layer(new Convolution1DLayer.Builder(3).name("k2").nOut(4).convolutionMode(ConvolutionMode.Causal)
                        .activation(Activation.TANH).build())
                .layer(new Convolution1DLayer.Builder(3, 2).name("k3").nOut(3).hasBias(false)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.SIGMOID).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(ConvNets.CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(2, 9)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Features of {@link #conv1d}: [N, 2, 9]. */
    static DataSet conv1dData(DataType type) {
        return ConvNets.data(type, ConvNets.BATCH, 2, 9);
    }

    /**
     * NCDHW 2x4x4x4 (or NDHWC 4x4x4x2): v1 2x2x2 Same 2->3 (tanh), v2 2x2x2 Same 3->3 (tanh), v3 2x2x2 Truncate
     * stride 2 3->2 no bias (sigmoid), pooling, output. Pools: down {@code (2,2x2x2) {v1}},
     * {@code (3,2x2x2) {v2, v3}}; up {@code 3 {v1, v2}}, {@code 2 {v3}}.
     */
    static MultiLayerNetwork conv3d(DataType type, Convolution3D.DataFormat format) {
        MultiLayerConfiguration conf = base(type, 47).list()
                .layer(new Convolution3D.Builder(2, 2, 2).name("v1").nOut(3).dataFormat(format)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build())
                .layer(new Convolution3D.Builder(2, 2, 2).name("v2").nOut(3).dataFormat(format)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build())
                .layer(new Convolution3D.Builder(2, 2, 2).name("v3").nOut(2).stride(2, 2, 2).hasBias(false)
                        .dataFormat(format).convolutionMode(ConvolutionMode.Truncate).activation(Activation.SIGMOID).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(ConvNets.CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional3D(format, 4, 4, 4, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Features of {@link #conv3d}: [3, 2, 4, 4, 4] or [3, 4, 4, 4, 2]. */
    static DataSet conv3dData(DataType type, Convolution3D.DataFormat format) {
        return format == Convolution3D.DataFormat.NCDHW ? ConvNets.data(type, 3, 2, 4, 4, 4)
                : ConvNets.data(type, 3, 4, 4, 4, 2);
    }

    /** DL4J's GradientCheckUtil on the adapter parameters of a double-precision {@code net} (frozen keys excluded). */
    static boolean passesGradientCheck(MultiLayerNetwork net, DataSet data) {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(data.getFeatures())
                    .labels(data.getLabels()).excludeParams(Nets.frozenParamNames(net)));
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    static List<Supplier<AdapterConfig>> invalidConfigs() {
        return List.of(() -> new CloraConfig(0, 4, 8, 0.1), () -> new CloraConfig(-1, 4, 8, 0.1),
                () -> new CloraConfig(8, 0, 8, 0.1), () -> new CloraConfig(8, -2, 8, 0.1),
                () -> new CloraConfig(8, 4, 0, 0.1), () -> new CloraConfig(8, 4, Double.NaN, 0.1),
                () -> new CloraConfig(8, 4, Double.POSITIVE_INFINITY, 0.1), () -> new CloraConfig(8, 4, 8, -0.1),
                () -> new CloraConfig(8, 4, 8, Double.NaN), () -> new CloraConfig(8, 4, 8, Double.POSITIVE_INFINITY));
    }
}
