package org.peft4j.testkit;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
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
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Small "pretrained" networks with convolutions AND dense layers, for tests that adapt both kinds in one model
 * with different methods (a VGG in miniature): smooth activations, L1 and weight decay on.
 */
public final class MixedNets {

    public static final int CLASSES = ConvNets.CLASSES;

    private MixedNets() {
    }

    private static NeuralNetConfiguration.Builder base(DataType type, long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(type).updater(new Sgd(0.1))
                .weightInit(WeightInit.XAVIER).l1(1e-3).weightDecay(1e-2);
    }

    /** Features of {@link #mln}: [N, 2, 7, 6]. */
    public static DataSet mlnData(DataType type) {
        return ConvNets.data(type, ConvNets.BATCH, 2, 7, 6);
    }

    /** Features of {@link #graph}: [N, 6, 6, 3]. */
    public static DataSet graphData(DataType type) {
        return ConvNets.data(type, ConvNets.BATCH, 6, 6, 3);
    }

    /**
     * NCHW 2x7x6: conv1 3x3 Same, 4 channels (tanh) -> conv2 2x3 stride (2,2) Truncate, 3 channels, no bias
     * (sigmoid) -> fc1 dense 18 -> 5 (tanh) -> fc2 dense 5 -> 4 (tanh) -> out.
     */
    public static MultiLayerNetwork mln(DataType type) {
        MultiLayerConfiguration conf = base(type, 21).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv1").nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build())
                .layer(new ConvolutionLayer.Builder(2, 3).name("conv2").nOut(3).stride(2, 2).hasBias(false)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.SIGMOID).build())
                .layer(new DenseLayer.Builder().name("fc1").nOut(5).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().name("fc2").nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(7, 6, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * NHWC 6x6x3 graph: conv a 2x2 Same (tanh) -> conv b 3x3 Truncate (softsign) -> average pooling -> fc dense
     * 3 -> 5 (tanh) -> fc2 dense 5 -> 4 (tanh); the pooled features skip past fc and fc2: out takes both, merged.
     * Layers with parameters have one topological order (GradientCheckUtil names parameters in that order).
     */
    public static ComputationGraph graph(DataType type) {
        ComputationGraphConfiguration conf = base(type, 22).graphBuilder().addInputs("in")
                .addLayer("a", new ConvolutionLayer.Builder(2, 2).nOut(4).dataFormat(CNN2DFormat.NHWC)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build(), "in")
                .addLayer("b", new ConvolutionLayer.Builder(3, 3).nOut(3).dataFormat(CNN2DFormat.NHWC)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.SOFTSIGN).build(), "a")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "b")
                .addLayer("fc", new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build(), "pool")
                .addLayer("fc2", new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build(), "fc")
                .addVertex("merge", new MergeVertex(), "fc2", "pool")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "merge")
                .setOutputs("out").setInputTypes(InputType.convolutional(6, 6, 3, CNN2DFormat.NHWC)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }
}
