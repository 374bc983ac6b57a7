package org.peft4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.testkit.Nets;

/** Frozen convolutions backprop their input gradient only, and the same one DL4J's wrapper gives. */
class FrozenConvolutionTest {

    /**
     * trainable conv0 -> frozen conv1 (ours or DL4J's wrapper) -> pooling -> output, in double,
     * channels last (NHWC, NWC) or first (NCHW, NCW).
     */
    private static MultiLayerNetwork network(boolean oneD, boolean ours, boolean last) {
        RNNFormat rnn = last ? RNNFormat.NWC : RNNFormat.NCW;
        CNN2DFormat cnn = last ? CNN2DFormat.NHWC : CNN2DFormat.NCHW;
        Layer conv0 = oneD
                ? new Convolution1DLayer.Builder(3).nOut(4).rnnDataFormat(rnn).convolutionMode(ConvolutionMode.Same).build()
                : new ConvolutionLayer.Builder(3, 3).nOut(4).dataFormat(cnn).convolutionMode(ConvolutionMode.Same).build();
        Layer conv1 = oneD
                ? new Convolution1DLayer.Builder(2).dilation(2).nOut(3).rnnDataFormat(rnn).activation(Activation.SIGMOID)
                        .convolutionMode(ConvolutionMode.Truncate).build()
                : new ConvolutionLayer.Builder(2, 3).nOut(3).stride(1, 2).dataFormat(cnn)
                        .activation(Activation.SIGMOID).convolutionMode(ConvolutionMode.Truncate).build();
        int[] pooling = oneD ? new int[] {last ? 1 : 2} : last ? new int[] {1, 2} : new int[] {2, 3};
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(8).dataType(DataType.DOUBLE)
                .activation(Activation.TANH).list()
                .layer(conv0)
                .layer(ours ? new FrozenWithBackprop(conv1) : new FrozenLayerWithBackprop(conv1))
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).poolingDimensions(pooling).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(oneD ? InputType.recurrent(2, 9, rnn) : InputType.convolutional(6, 7, 2, cnn))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static INDArray lowerLayerGradient(boolean oneD, boolean ours, boolean last) {
        MultiLayerNetwork net = network(oneD, ours, last);
        Nd4j.getRandom().setSeed(9);
        INDArray features = Nd4j.randn(DataType.DOUBLE, oneD ? new long[] {3, 2, 9} : new long[] {3, 2, 6, 7});
        net.setInput(last ? features.permute(oneD ? new int[] {0, 2, 1} : new int[] {0, 2, 3, 1}).dup() : features);
        net.setLabels(Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {1, 0}}));
        net.computeGradientAndScore();
        return net.gradient().getGradientFor("0_W").dup();
    }

    /**
     * DL4J's own 1D backprop ({@code conv1d_bp}) fails op validation for NWC and for some strided
     * layers, so a trainable NWC 1D layer cannot sit below (NWC 1D is covered by the adapters'
     * gradient checks) and the 1D layer has stride 1. NHWC is checked against DL4J's NCHW result
     * (same weights, permuted data).
     */
    @Test
    void frozenConvolutionPassesTheSameGradientAsDl4jsWrapper() {
        for (boolean oneD : new boolean[] {false, true}) {
            INDArray dl4j = lowerLayerGradient(oneD, false, false);
            assertThat(dl4j.amaxNumber().doubleValue()).isPositive();
            assertThat(Nets.maxRelativeError(lowerLayerGradient(oneD, true, false), dl4j)).as(oneD ? "NCW" : "NCHW")
                    .isLessThan(1e-12);
            if (!oneD) {
                assertThat(Nets.maxRelativeError(lowerLayerGradient(false, true, true), dl4j)).as("NHWC")
                        .isLessThan(1e-12);
            }
        }
    }

    @Test
    void withoutInputGradientTheLayerIsWhereBackpropagationStops() {
        MultiLayerNetwork net = network(false, true, true);
        FrozenWithBackprop frozen = (FrozenWithBackprop) net.getLayerWiseConfigurations().getConf(1).getLayer();
        frozen.setInputGradient(false);
        MultiLayerNetwork copy = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(
                net.getLayerWiseConfigurations().toJson()));
        copy.init(net.params().dup(), false);
        assertThat(((FrozenWithBackprop) copy.getLayerWiseConfigurations().getConf(1).getLayer()).isInputGradient())
                .as("kept through JSON").isFalse();
        org.deeplearning4j.nn.api.Layer layer = copy.getLayer(1);
        assertThat(layer).as("DL4J's MultiLayerNetwork and ComputationGraph stop backpropagation at a FrozenLayer")
                .isInstanceOf(org.deeplearning4j.nn.layers.FrozenLayer.class);
        INDArray input = Nd4j.rand(DataType.DOUBLE, 3, 6, 7, 4);
        INDArray output = layer.activate(input, true, LayerWorkspaceMgr.noWorkspaces());
        assertThat(Nets.values(output)).containsExactly(Nets.values(net.getLayer(1).activate(input, false,
                LayerWorkspaceMgr.noWorkspaces())));
        assertThat(layer.backpropGradient(Nd4j.onesLike(output), LayerWorkspaceMgr.noWorkspaces()).getSecond()).isNull();
    }
}
