package org.peft4j.backbones;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.Seeds;

/**
 * {@code vgg-mini}, the CPU-sized VGG-style backbone of the fashion-transfer protocol: input
 * [N, 1, 28, 28]; blocks of two 3x3 convolutions (32, 64, 128 channels, ReLU, 'same' padding)
 * each followed by 2x2 max pooling (floor: 28, 14, 7, 3); flatten 1152 -> Dense 128 ReLU -> softmax output.
 *
 * <p>Layer names: {@code block1_conv1}, {@code block1_conv2}, {@code block1_pool}, ...,
 * {@code block3_pool}, {@code fc1}, {@code predictions}.
 */
public final class VggMini {

    private static final int[] WIDTH = {32, 64, 128};

    private VggMini() {
    }

    /**
     * A freshly initialised network (Adam lr 1e-3, the protocol's pretraining optimiser).
     *
     * @param classes output classes (5 in fashion-transfer)
     * @param seed    initialisation seed
     */
    public static MultiLayerNetwork create(int classes, long seed) {
        return create(classes, seed, CNN2DFormat.NCHW);
    }

    /**
     * The same network for input in {@code format}: {@code NHWC} takes {@code [N, 28, 28, 1]} and keeps its activations
     * channels-last, the layout oneDNN's convolution kernels work in on AVX-512 CPUs. The weights are drawn as for
     * NCHW, but {@code fc1} reads the flattened features in the format's order, so the two networks differ from there.
     */
    public static MultiLayerNetwork create(int classes, long seed, CNN2DFormat format) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(classes, seed, DataType.FLOAT, format));
        net.init();
        return net;
    }

    /** The configuration of {@link #create}, in the given data type. */
    public static MultiLayerConfiguration configuration(int classes, long seed, DataType dataType) {
        return configuration(classes, seed, dataType, CNN2DFormat.NCHW);
    }

    /** The configuration of {@link #create(int, long, CNN2DFormat)}, in the given data type. */
    public static MultiLayerConfiguration configuration(int classes, long seed, DataType dataType, CNN2DFormat format) {
        if (classes < 1) {
            throw new IllegalArgumentException("vgg-mini needs classes >= 1, got " + classes);
        }
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(Seeds.nd4j(seed)).dataType(dataType).updater(new Adam(1e-3)).weightInit(WeightInit.RELU)
                .activation(Activation.RELU).convolutionMode(ConvolutionMode.Same)
                .list();
        for (int block = 1; block <= WIDTH.length; block++) {
            for (int conv = 1; conv <= 2; conv++) {
                list.layer(new ConvolutionLayer.Builder(3, 3).name("block" + block + "_conv" + conv)
                        .nOut(WIDTH[block - 1]).build());
            }
            list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).name("block" + block + "_pool")
                    .kernelSize(2, 2).stride(2, 2).convolutionMode(ConvolutionMode.Truncate).build());
        }
        return list
                .layer(new DenseLayer.Builder().name("fc1").nOut(128).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("predictions")
                        .nOut(classes).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1, format))
                .build();
    }
}
