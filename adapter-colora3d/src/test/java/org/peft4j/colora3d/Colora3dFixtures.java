package org.peft4j.colora3d;

import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
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

/** Small "pretrained" 3D networks and data for the colora3d tests. */
final class Colora3dFixtures {

    static final int CHANNELS = 2;
    static final int CLASSES = 3;
    static final int BATCH = 6;
    static final int[] VOLUME = {5, 4, 6};

    private Colora3dFixtures() {
    }

    static AdapterRegistry registry() {
        return AdapterRegistry.of(new Colora3dMethod());
    }

    /**
     * NCDHW: {@code conv1} (Truncate, kernel 3x1x2, stride 2x1x1, padding 1x0x1, dilation 1x1x2,
     * 2->8, tanh) -> {@code conv2} (Same, 2x2x2, 8->3, no bias, sigmoid) -> {@code out} (softmax);
     * L2 and weight decay on.
     */
    static MultiLayerNetwork mlp(DataType type) {
        Convolution3D.DataFormat format = Convolution3D.DataFormat.NCDHW;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).dataType(type)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).l2(1e-3).weightDecay(1e-2)
                .list()
                .layer(new Convolution3D.Builder().name("conv1").kernelSize(3, 1, 2).stride(2, 1, 1).padding(1, 0, 1)
                        .dilation(1, 1, 2).convolutionMode(ConvolutionMode.Truncate).dataFormat(format).nOut(8)
                        .activation(Activation.TANH).build())
                .layer(new Convolution3D.Builder().name("conv2").kernelSize(2, 2, 2).convolutionMode(ConvolutionMode.Same)
                        .dataFormat(format).nOut(3).hasBias(false).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional3D(format, VOLUME[0], VOLUME[1], VOLUME[2], CHANNELS))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * NDHWC graph: {@code a} (Strict, kernel 2x3x1, padding 0x1x0, 2->8, tanh) -> {@code b} (Same, 3x3x3,
     * stride 2, 8->4, tanh) -> {@code out}; again both gradient routes.
     */
    static ComputationGraph graph(DataType type) {
        Convolution3D.DataFormat format = Convolution3D.DataFormat.NDHWC;
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(43).dataType(type)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).l2(1e-3).weightDecay(1e-2)
                .graphBuilder()
                .addInputs("in")
                .addLayer("a", new Convolution3D.Builder().kernelSize(2, 3, 1).padding(0, 1, 0)
                        .convolutionMode(ConvolutionMode.Strict).dataFormat(format).nOut(8)
                        .activation(Activation.TANH).build(), "in")
                .addLayer("b", new Convolution3D.Builder().kernelSize(3, 3, 3).stride(2, 2, 2)
                        .convolutionMode(ConvolutionMode.Same).dataFormat(format).nOut(4)
                        .activation(Activation.TANH).build(), "a")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "b")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional3D(format, VOLUME[0], VOLUME[1], VOLUME[2], CHANNELS))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** {@link #BATCH} volumes N(0,1) in NCDHW, random one-hot labels; the same every call. */
    static DataSet ncdhwData(DataType type) {
        return data(type, new long[] {BATCH, CHANNELS, VOLUME[0], VOLUME[1], VOLUME[2]});
    }

    /** As {@link #ncdhwData} in NDHWC. */
    static DataSet ndhwcData(DataType type) {
        return data(type, new long[] {BATCH, VOLUME[0], VOLUME[1], VOLUME[2], CHANNELS});
    }

    private static DataSet data(DataType type, long[] shape) {
        Nd4j.getRandom().setSeed(99);
        INDArray features = Nd4j.randn(type, shape);
        INDArray labels = Nd4j.zeros(type, BATCH, CLASSES);
        for (int i = 0; i < BATCH; i++) {
            labels.putScalar(i, (i * 7) % CLASSES, 1.0);
        }
        return new DataSet(features, labels);
    }

    static List<Supplier<AdapterConfig>> invalidConfigs() {
        return List.of(
                () -> new Colora3dConfig(null, 1.0),
                () -> new Colora3dConfig(PointwiseInit.GLOROT_UNIFORM, 0),
                () -> new Colora3dConfig(PointwiseInit.GLOROT_UNIFORM, -1),
                () -> new Colora3dConfig(PointwiseInit.GLOROT_NORMAL, Double.NaN),
                () -> new Colora3dConfig(PointwiseInit.GLOROT_NORMAL, Double.POSITIVE_INFINITY));
    }
}
