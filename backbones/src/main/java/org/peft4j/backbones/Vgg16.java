package org.peft4j.backbones;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * VGG16's convolutional stack (the DL4J zoo / Keras topology: 13 3x3 convolutions in 5 blocks,
 * ReLU, 2x2 max pooling with floor, as Keras "valid") with the CoLoRA paper's head: a 1x1 convolution 512 -> 128 + ReLU,
 * flatten, Dense 128 + ReLU, and a softmax output over {@code classes}.
 *
 * <p>Layer names follow Keras ({@code block2_conv1}, ..., {@code block5_pool}), then
 * {@code head_conv}, {@code fc1}, {@code predictions}; "CoLoRA on blocks 2-5" is
 * {@code LayerSelector.byName("block[2-5]_conv\\d")}. Input {@code input}: [N, channels, size, size].
 * At 224x224x3 with 4 classes the network has 15,583,812 parameters (head: 869,124).
 */
public final class Vgg16 {

    /** Output channels of each block's convolutions. */
    static final int[] BLOCK_WIDTH = {64, 128, 256, 512, 512};
    /** Convolutions per block. */
    static final int[] BLOCK_CONVS = {2, 2, 3, 3, 3};

    private Vgg16() {
    }

    /**
     * A freshly initialised network.
     *
     * @param channels input channels (1 or 3)
     * @param size     input height and width, at least 32 (five 2x2 poolings)
     * @param classes  output classes
     * @param seed     initialisation seed
     */
    public static ComputationGraph withPaperHead(int channels, int size, int classes, long seed) {
        ComputationGraph graph = new ComputationGraph(configuration(channels, size, classes, seed, DataType.FLOAT));
        graph.init();
        return graph;
    }

    /** The configuration of {@link #withPaperHead}, in the given data type. */
    public static ComputationGraphConfiguration configuration(int channels, int size, int classes, long seed,
            DataType dataType) {
        if (channels < 1 || size < 32 || classes < 1) {
            throw new IllegalArgumentException("VGG16 needs channels >= 1, size >= 32 and classes >= 1; got channels="
                    + channels + ", size=" + size + ", classes=" + classes);
        }
        ComputationGraphConfiguration.GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(dataType).updater(new Adam(1e-4)).weightInit(WeightInit.RELU)
                .activation(Activation.RELU).convolutionMode(ConvolutionMode.Same)
                .graphBuilder().addInputs("input");
        String previous = "input";
        for (int block = 1; block <= BLOCK_WIDTH.length; block++) {
            for (int conv = 1; conv <= BLOCK_CONVS[block - 1]; conv++) {
                String name = "block" + block + "_conv" + conv;
                graph.addLayer(name, new ConvolutionLayer.Builder(3, 3).nOut(BLOCK_WIDTH[block - 1]).build(), previous);
                previous = name;
            }
            String pool = "block" + block + "_pool";
            graph.addLayer(pool, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                    .kernelSize(2, 2).stride(2, 2).convolutionMode(ConvolutionMode.Truncate).build(), previous);
            previous = pool;
        }
        return graph
                .addLayer("head_conv", new ConvolutionLayer.Builder(1, 1).nOut(128).build(), previous)
                .addLayer("fc1", new DenseLayer.Builder().nOut(128).build(), "head_conv")
                .addLayer("predictions", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(classes).activation(Activation.SOFTMAX).build(), "fc1")
                .setOutputs("predictions")
                .setInputTypes(InputType.convolutional(size, size, channels))
                .build();
    }
}
