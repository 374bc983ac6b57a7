package org.peft4j.tcurlora;

import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.AdapterRegistry;
import org.peft4j.spi.AdapterConfig;

/**
 * Small "pretrained" networks with groups of equal-shape layers, and their data: smooth activations,
 * L1 and weight decay on (so the frozen-key checks mean something).
 */
final class TcurFixtures {

    static final int CLASSES = 3;
    static final int BATCH = 5;

    private TcurFixtures() {
    }

    static AdapterRegistry registry() {
        return AdapterRegistry.of(new TcurloraMethod());
    }

    static List<Supplier<AdapterConfig>> invalidConfigs() {
        return List.of(() -> new TcurloraConfig(0, TcurloraConfig.Mode.GROUP, TcurloraConfig.Fallback.NONE),
                () -> new TcurloraConfig(-3, TcurloraConfig.Mode.TAPS, TcurloraConfig.Fallback.AUTO),
                () -> new TcurloraConfig(2, null, TcurloraConfig.Fallback.NONE),
                () -> new TcurloraConfig(2, TcurloraConfig.Mode.GROUP, null));
    }

    private static NeuralNetConfiguration.Builder base(DataType type) {
        return new NeuralNetConfiguration.Builder().seed(12).dataType(type).updater(new Sgd(0.1))
                .weightInit(WeightInit.XAVIER).l1(1e-3).weightDecay(1e-2);
    }

    /** 4 -> d0 (6) -> d1 (6) -> d2 (6) -> out (3): d1, d2 have equal weights [6, 6]. */
    static MultiLayerNetwork mlp(DataType type) {
        MultiLayerNetwork net = new MultiLayerNetwork(base(type).list()
                .layer(new DenseLayer.Builder().name("d0").nOut(6).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().name("d1").nOut(6).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().name("d2").nOut(6).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(4)).build());
        net.init();
        return net;
    }

    static DataSet mlpData(DataType type) {
        return data(type, BATCH, 4);
    }

    /**
     * A graph: input [N, 2, 6, 6] -> c0 (3, Same) -> c1 (3, Same) -> c2 (3, stride 2, Truncate, no bias) ->
     * pool -> out; c1 and c2 share the weight shape [3, 3, 3, 3] with different geometries.
     */
    static ComputationGraph convGraph(DataType type) {
        ComputationGraph graph = new ComputationGraph(base(type).graphBuilder().addInputs("in")
                .addLayer("c0", new ConvolutionLayer.Builder(3, 3).nOut(3).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build(), "in")
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(3).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build(), "c0")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(3).stride(2, 2).hasBias(false)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.SIGMOID).build(), "c1")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c2")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").setInputTypes(InputType.convolutional(6, 6, 2)).build());
        graph.init();
        return graph;
    }

    static DataSet convGraphData(DataType type) {
        return data(type, BATCH, 2, 6, 6);
    }

    /** input [N, 2, 9] -> k0 (4, k 3) -> k1 (4, k 3, Same) -> k2 (4, k 3, Causal) -> pool -> out. */
    static MultiLayerNetwork conv1d(DataType type) {
        MultiLayerNetwork net = new MultiLayerNetwork(base(type).list()
                .layer(new Convolution1DLayer.Builder(3).name("k0").nOut(4).activation(Activation.TANH).build())
                .layer(new Convolution1DLayer.Builder(3).name("k1").nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build())
                .layer(new Convolution1DLayer.Builder(3).name("k2").nOut(4).convolutionMode(ConvolutionMode.Causal)
                        .activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(2, 9)).build());
        net.init();
        return net;
    }

    static DataSet conv1dData(DataType type) {
        return data(type, BATCH, 2, 9);
    }

    /** input [N, 2, 4, 4, 4] -> v0 (3) -> v1 (3, Same) -> v2 (3, Same) -> pool -> out; v1, v2 equal [3, 3, 2, 2, 2]. */
    static MultiLayerNetwork conv3d(DataType type) {
        MultiLayerNetwork net = new MultiLayerNetwork(base(type).list()
                .layer(new Convolution3D.Builder(2, 2, 2).name("v0").nOut(3).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build())
                .layer(new Convolution3D.Builder(2, 2, 2).name("v1").nOut(3).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build())
                .layer(new Convolution3D.Builder(2, 2, 2).name("v2").nOut(3).convolutionMode(ConvolutionMode.Truncate)
                        .activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, 4, 4, 4, 2)).build());
        net.init();
        return net;
    }

    static DataSet conv3dData(DataType type) {
        return data(type, 3, 2, 4, 4, 4);
    }

    static DataSet data(DataType type, int batch, long... featureShape) {
        Nd4j.getRandom().setSeed(99);
        long[] shape = new long[featureShape.length + 1];
        shape[0] = batch;
        System.arraycopy(featureShape, 0, shape, 1, featureShape.length);
        INDArray x = Nd4j.rand(DataType.DOUBLE, shape).subi(0.5).muli(2).castTo(type);
        INDArray y = Nd4j.zeros(type, batch, CLASSES);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % CLASSES, 1.0);
        }
        return new DataSet(x, y);
    }
}
