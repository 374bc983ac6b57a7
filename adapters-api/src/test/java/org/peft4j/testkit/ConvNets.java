package org.peft4j.testkit;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Small "pretrained" convolution networks and data for the contract tests of convolution adapters:
 * two convolutions in a row (adapt both, so the gradient check covers the input gradient of the
 * upper one), smooth activations, L1 and weight decay on, every convolution mode, both data formats.
 */
public final class ConvNets {

    public static final int CLASSES = 3;
    public static final int BATCH = 5;

    private ConvNets() {
    }

    private static NeuralNetConfiguration.Builder base(DataType type, long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(type).updater(new Sgd(0.1))
                .weightInit(WeightInit.XAVIER).l1(1e-3).weightDecay(1e-2);
    }

    /** Features of {@link #mln2d}: [N, 2, 7, 6]. */
    public static DataSet mln2dData(DataType type) {
        return data(type, BATCH, 2, 7, 6);
    }

    /** Features of {@link #graph2d}: [N, 6, 6, 3]. */
    public static DataSet graph2dData(DataType type) {
        return data(type, BATCH, 6, 6, 3);
    }

    /** Features of {@link #mln1d}: [N, 3, 9]. */
    public static DataSet mln1dData(DataType type) {
        return data(type, BATCH, 3, 9);
    }

    /** Features of {@link #graph1d}: [N, 8, 2]. */
    public static DataSet graph1dData(DataType type) {
        return data(type, BATCH, 8, 2);
    }

    /** NCHW 2x7x6: conv1 3x3 Same (tanh) -> conv2 2x3 stride (2,1) Truncate, no bias (sigmoid) -> output. */
    public static MultiLayerNetwork mln2d(DataType type) {
        MultiLayerConfiguration conf = base(type, 11).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv1").nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build())
                .layer(new ConvolutionLayer.Builder(2, 3).name("conv2").nOut(3).stride(2, 1).hasBias(false)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(7, 6, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** NHWC 6x6x3 graph: conv a 2x2 Same dilation 2 (tanh) and conv b 3x1 padding 1 Truncate on a, merged by the output. */
    public static ComputationGraph graph2d(DataType type) {
        ComputationGraphConfiguration conf = base(type, 12).graphBuilder().addInputs("in")
                .addLayer("a", new ConvolutionLayer.Builder(2, 2).nOut(4).dilation(2, 2).dataFormat(CNN2DFormat.NHWC)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build(), "in")
                .addLayer("b", new ConvolutionLayer.Builder(3, 1).nOut(2).padding(1, 0).dataFormat(CNN2DFormat.NHWC)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.SOFTSIGN).build(), "a")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").setInputTypes(InputType.convolutional(6, 6, 3, CNN2DFormat.NHWC)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** NCW 3 x 9: conv1 k=3 Causal (tanh) -> conv2 k=2 stride 2 Same, no bias (sigmoid) -> pooling -> output. */
    public static MultiLayerNetwork mln1d(DataType type) {
        MultiLayerConfiguration conf = base(type, 13).list()
                .layer(new Convolution1DLayer.Builder(3).name("conv1").nOut(4).convolutionMode(ConvolutionMode.Causal)
                        .activation(Activation.TANH).build())
                .layer(new Convolution1DLayer.Builder(2, 2).name("conv2").nOut(3).hasBias(false)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.SIGMOID).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("pool").build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(3, 9, RNNFormat.NCW)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** NWC 2 x 8 graph: conv a k=2 dilation 2 Truncate padding 1 (tanh) -> conv b k=3 Same (softsign) -> pooling -> output. */
    public static ComputationGraph graph1d(DataType type) {
        ComputationGraphConfiguration conf = base(type, 14).graphBuilder().addInputs("in")
                .addLayer("a", new Convolution1DLayer.Builder(2, 1, 1).nOut(4).dilation(2).rnnDataFormat(RNNFormat.NWC)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.TANH).build(), "in")
                .addLayer("b", new Convolution1DLayer.Builder(3).nOut(3).rnnDataFormat(RNNFormat.NWC)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.SOFTSIGN).build(), "a")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).poolingDimensions(1).build(), "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").setInputTypes(InputType.recurrent(2, 8, RNNFormat.NWC)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** {@link #BATCH} examples of the given feature shape, N(0,1), cyclic one-hot labels; the same every call. */
    public static DataSet data(DataType type, long... featureShape) {
        Nd4j.getRandom().setSeed(99);
        INDArray features = Nd4j.randn(type, featureShape);
        INDArray labels = Nd4j.zeros(type, featureShape[0], CLASSES);
        for (int i = 0; i < featureShape[0]; i++) {
            labels.putScalar(i, (i * 2) % CLASSES, 1.0);
        }
        return new DataSet(features, labels);
    }
}
