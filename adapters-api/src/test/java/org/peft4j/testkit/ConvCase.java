package org.peft4j.testkit;

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
 * One randomly drawn convolution configuration for property-based tests of convolution adapters,
 * and the small network around it: {@code stem} (a 1x1 convolution C_in -> C_in, tanh) ->
 * {@code conv} (this configuration, tanh) -> global average pooling -> softmax output over 2 classes.
 * Adapt {@code stem} and {@code conv}: the stem's adapter gradients then depend on conv's input gradient.
 *
 * @param oneD          a {@code Convolution1DLayer} (then {@code kernelH = strideH = dilationH = inH = 1}, {@code padH = 0})
 * @param mode          Same, Truncate, Strict or (1D) Causal
 * @param padH          explicit padding (Truncate, Strict)
 * @param channelsLast  NHWC / NWC instead of NCHW / NCW
 */
public record ConvCase(boolean oneD, int kernelH, int kernelW, int strideH, int strideW, int dilationH,
        int dilationW, ConvolutionMode mode, int padH, int padW, int inChannels, int outChannels,
        boolean channelsLast, boolean bias, int inH, int inW, long seed) {

    /** Examples per batch. */
    public static final int BATCH = 2;

    /** The network in {@code type}, weights drawn from {@code seed}. */
    public MultiLayerNetwork network(DataType type) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed).dataType(type)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).activation(Activation.TANH).list();
        list.layer(stem()).layer(conv());
        list.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("pool")
                .poolingDimensions(oneD ? new int[] {channelsLast ? 1 : 2}
                        : channelsLast ? new int[] {1, 2} : new int[] {2, 3}).build());
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(2)
                .activation(Activation.SOFTMAX).build());
        MultiLayerConfiguration conf = list.setInputType(oneD
                ? InputType.recurrent(inChannels, inW, channelsLast ? RNNFormat.NWC : RNNFormat.NCW)
                : InputType.convolutional(inH, inW, inChannels, channelsLast ? CNN2DFormat.NHWC : CNN2DFormat.NCHW))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Random features in the layer's format and one-hot labels. */
    public DataSet data(DataType type) {
        Nd4j.getRandom().setSeed(seed + 1);
        long[] shape = oneD ? (channelsLast ? new long[] {BATCH, inW, inChannels} : new long[] {BATCH, inChannels, inW})
                : channelsLast ? new long[] {BATCH, inH, inW, inChannels} : new long[] {BATCH, inChannels, inH, inW};
        INDArray labels = Nd4j.zeros(type, BATCH, 2);
        for (int i = 0; i < BATCH; i++) {
            labels.putScalar(i, i % 2, 1.0);
        }
        return new DataSet(Nd4j.randn(type, shape), labels);
    }

    private Layer stem() {
        if (oneD) {
            return new Convolution1DLayer.Builder(1).name("stem").nOut(inChannels).convolutionMode(ConvolutionMode.Same)
                    .rnnDataFormat(channelsLast ? RNNFormat.NWC : RNNFormat.NCW).build();
        }
        return new ConvolutionLayer.Builder(1, 1).name("stem").nOut(inChannels).convolutionMode(ConvolutionMode.Same)
                .dataFormat(channelsLast ? CNN2DFormat.NHWC : CNN2DFormat.NCHW).build();
    }

    private Layer conv() {
        if (oneD) {
            return new Convolution1DLayer.Builder(kernelW, strideW, padW).name("conv").nOut(outChannels).dilation(dilationW)
                    .convolutionMode(mode).hasBias(bias).rnnDataFormat(channelsLast ? RNNFormat.NWC : RNNFormat.NCW)
                    .build();
        }
        return new ConvolutionLayer.Builder(kernelH, kernelW).name("conv").nOut(outChannels).stride(strideH, strideW)
                .dilation(dilationH, dilationW).padding(padH, padW).convolutionMode(mode).hasBias(bias)
                .dataFormat(channelsLast ? CNN2DFormat.NHWC : CNN2DFormat.NCHW).build();
    }
}
