package org.peft4j.backbones;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.Seeds;

/**
 * {@code cnn1d-mini}, a CPU-sized 1D CNN for sequences (signals, spectra) and for the
 * {@code Convolution1DLayer} adapters: input [N, channels, length] (DL4J's NCW recurrent layout);
 * {@code block1_conv1} (kernel 5, 32 channels) and {@code block1_pool} (max 2),
 * {@code block2_conv1} (kernel 5, 64) and {@code block2_pool} (max 2), {@code block3_conv1}
 * (kernel 3, 128); ReLU and 'same' padding throughout; {@code global_pool} (max over time, so any
 * length >= 4 works) [N, 128]; {@code fc1} Dense 128 ReLU; {@code predictions} softmax.
 *
 * <p>Parameters: 32·(5·channels + 1) + 64·(5·32 + 1) + 128·(3·64 + 1) + (128·128 + 128) +
 * (128·classes + classes); with 1 channel and 5 classes 52,357.
 */
public final class Cnn1dMini {

    private static final int[] WIDTH = {32, 64, 128};
    private static final int[] KERNEL = {5, 5, 3};

    private Cnn1dMini() {
    }

    /**
     * A freshly initialised network (Adam lr 1e-3).
     *
     * @param channels input channels per time step
     * @param length   sequence length, at least 4 (two 2x poolings)
     * @param classes  output classes
     * @param seed     initialisation seed
     */
    public static MultiLayerNetwork create(int channels, int length, int classes, long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(channels, length, classes, seed, DataType.FLOAT));
        net.init();
        return net;
    }

    /** The configuration of {@link #create}, in the given data type. */
    public static MultiLayerConfiguration configuration(int channels, int length, int classes, long seed,
            DataType dataType) {
        if (channels < 1 || length < 4 || classes < 1) {
            throw new IllegalArgumentException("cnn1d-mini needs channels >= 1, length >= 4 and classes >= 1; got channels="
                    + channels + ", length=" + length + ", classes=" + classes);
        }
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(Seeds.nd4j(seed)).dataType(dataType).updater(new Adam(1e-3)).weightInit(WeightInit.RELU)
                .activation(Activation.RELU).convolutionMode(ConvolutionMode.Same)
                .list();
        for (int block = 1; block <= WIDTH.length; block++) {
            list.layer(new Convolution1DLayer.Builder().name("block" + block + "_conv1")
                    .kernelSize(KERNEL[block - 1]).nOut(WIDTH[block - 1]).build());
            if (block < WIDTH.length) {
                list.layer(new Subsampling1DLayer.Builder(PoolingType.MAX).name("block" + block + "_pool")
                        .kernelSize(2).stride(2).convolutionMode(ConvolutionMode.Truncate).build());
            }
        }
        return list
                .layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).name("global_pool").build())
                .layer(new DenseLayer.Builder().name("fc1").nOut(128).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("predictions")
                        .nOut(classes).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .setInputType(InputType.recurrent(channels, length))
                .build();
    }
}
