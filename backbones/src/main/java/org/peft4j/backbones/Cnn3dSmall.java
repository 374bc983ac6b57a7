package org.peft4j.backbones;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.Seeds;

/**
 * {@code cnn3d-small}, a CPU-sized 3D CNN for volumes such as MedMNIST 3D (28^3) and MedMNIST+
 * (64^3): input [N, channels, size, size, size] (NCDHW; or channels-last NDHWC, see
 * {@link #create(int, int, int, long, Convolution3D.DataFormat)}); three blocks of a 3x3x3 convolution
 * ('same' padding, ReLU) with 16, 32 and 64 channels, the first two followed by 2x2x2 max pooling
 * (stride 2, output ceil(size/2)), the third by global average pooling; Dense 64 ReLU; softmax output. Works for any
 * size >= 4 (the global pooling makes the head independent of the size).
 *
 * <p>Layer names: {@code conv1}, {@code pool1}, {@code conv2}, {@code pool2}, {@code conv3},
 * {@code gap}, {@code fc1}, {@code predictions}. 74,539 parameters for 1 channel and 11 classes (448 + 13,856 + 55,360 in the convolutions).
 */
public final class Cnn3dSmall {

    private static final int[] WIDTH = {16, 32, 64};
    private static final int FC = 64;

    private Cnn3dSmall() {
    }

    /**
     * A freshly initialised float network (Adam lr 1e-3).
     *
     * @param channels input channels (1 for MedMNIST)
     * @param size     volume edge length (28 for MedMNIST 3D, 64 for MedMNIST+)
     * @param classes  output classes (e.g. 11 for OrganMNIST3D)
     * @param seed     initialisation seed
     */
    public static MultiLayerNetwork create(int channels, int size, int classes, long seed) {
        return create(channels, size, classes, seed, Convolution3D.DataFormat.NCDHW);
    }

    /**
     * The same network for input in {@code format}: {@code NDHWC} takes {@code [N, size, size, size, channels]} and
     * keeps its activations channels-last, the layout oneDNN works in on AVX-512 CPUs (there DL4J's max pooling of
     * {@code pool1} in NCDHW falls to oneDNN's reference kernel). Same weights, same outputs as NCDHW for the same
     * volumes (the global pooling leaves no layout to the dense head).
     */
    public static MultiLayerNetwork create(int channels, int size, int classes, long seed,
            Convolution3D.DataFormat format) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(channels, size, classes, seed, DataType.FLOAT,
                format));
        net.init();
        return net;
    }

    /** The configuration of {@link #create}, in the given data type. */
    public static MultiLayerConfiguration configuration(int channels, int size, int classes, long seed,
            DataType dataType) {
        return configuration(channels, size, classes, seed, dataType, Convolution3D.DataFormat.NCDHW);
    }

    /** The configuration of {@link #create(int, int, int, long, Convolution3D.DataFormat)}, in the given data type. */
    public static MultiLayerConfiguration configuration(int channels, int size, int classes, long seed,
            DataType dataType, Convolution3D.DataFormat format) {
        if (channels < 1 || classes < 1) {
            throw new IllegalArgumentException("cnn3d-small needs channels >= 1 and classes >= 1, got channels="
                    + channels + ", classes=" + classes);
        }
        if (size < 4) {
            throw new IllegalArgumentException("cnn3d-small needs volumes of size >= 4 (two 2x2x2 poolings), got " + size);
        }
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(Seeds.nd4j(seed)).dataType(dataType).updater(new Adam(1e-3)).weightInit(WeightInit.RELU)
                .list();
        for (int block = 1; block <= WIDTH.length; block++) {
            list.layer(new Convolution3D.Builder().name("conv" + block).kernelSize(3, 3, 3).nOut(WIDTH[block - 1])
                    .convolutionMode(ConvolutionMode.Same).dataFormat(format).activation(Activation.RELU).build());
            if (block < WIDTH.length) {
                // 'same' pooling: DL4J reports any other 3D mode's output as NDHWC (InputTypeUtil, M2.1)
                list.layer(new Subsampling3DLayer.Builder(PoolingType.MAX, new int[] {2, 2, 2}).name("pool" + block)
                        .stride(2, 2, 2).convolutionMode(ConvolutionMode.Same).dataFormat(format).build());
            }
        }
        return list
                .layer(globalAveragePooling(format))
                .layer(new DenseLayer.Builder().name("fc1").nOut(FC).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("predictions").nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional3D(format, size, size, size, channels))
                .build();
    }

    /** Average over the three spatial axes: DL4J's default axes (2, 3, 4) are NCDHW's. */
    private static GlobalPoolingLayer globalAveragePooling(Convolution3D.DataFormat format) {
        GlobalPoolingLayer.Builder gap = new GlobalPoolingLayer.Builder(PoolingType.AVG).name("gap");
        return (format == Convolution3D.DataFormat.NDHWC ? gap.poolingDimensions(1, 2, 3) : gap).build();
    }
}
