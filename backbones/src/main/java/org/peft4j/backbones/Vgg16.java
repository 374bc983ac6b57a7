package org.peft4j.backbones;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.peft4j.Seeds;

/**
 * VGG16's convolutional stack (the DL4J zoo / Keras topology: 13 3x3 convolutions in 5 blocks,
 * ReLU, 2x2 max pooling with floor, as Keras "valid") with the CoLoRA paper's head: a 1x1 convolution 512 -> 128 + ReLU,
 * flatten, Dense 128 + ReLU, and a softmax output over {@code classes}.
 *
 * <p>Layer names follow Keras ({@code block2_conv1}, ..., {@code block5_pool}), then
 * {@code head_conv}, {@code fc1}, {@code predictions}; "CoLoRA on blocks 2-5" is
 * {@code LayerSelector.byName("block[2-5]_conv\\d")}. Input {@code input}: [N, channels, size, size].
 * At 224x224x3 with 4 classes the network has 15,583,812 parameters (head: 869,124).
 *
 * <p>The convolutions use 'same' padding, which for 3x3 kernels with stride 1 is the zoo's
 * explicit padding 1: weights of the zoo's VGG16 and of Keras' {@code vgg16} (after moving the
 * kernel from [kH, kW, C_in, C_out] to [C_out, C_in, kH, kW]) fit unchanged; see
 * {@link #backboneLayers()} and {@code org.peft4j.backbones.weights.WeightTransfer}.
 */
public final class Vgg16 {

    /** Output channels of each block's convolutions. */
    static final int[] BLOCK_WIDTH = {64, 128, 256, 512, 512};
    /** Convolutions per block. */
    static final int[] BLOCK_CONVS = {2, 2, 3, 3, 3};

    private Vgg16() {
    }

    /** Names of the 13 convolutions, {@code block1_conv1} to {@code block5_conv3}. */
    public static List<String> convolutionNames() {
        List<String> names = new ArrayList<>();
        for (int block = 1; block <= BLOCK_WIDTH.length; block++) {
            for (int conv = 1; conv <= BLOCK_CONVS[block - 1]; conv++) {
                names.add("block" + block + "_conv" + conv);
            }
        }
        return names;
    }

    /**
     * The layers that pretrained weights fill, each with the source layer names accepted for it:
     * its Keras name ({@code block1_conv1}, also used by the zoo's Keras-imported ImageNet file)
     * and the zoo's {@code VGG16.init()} name ({@code "0"} ... {@code "16"}: the zoo numbers all
     * 21 vertices, pooling layers included, so block 2 starts at {@code "3"}). The zoo's
     * {@code "17"} is block5_pool and {@code "18"}-{@code "20"} its 4096-wide top, which the
     * paper head replaces.
     */
    public static Map<String, List<String>> backboneLayers() {
        Map<String, List<String>> layers = new LinkedHashMap<>();
        int zooIndex = 0;
        for (int block = 1; block <= BLOCK_WIDTH.length; block++) {
            for (int conv = 1; conv <= BLOCK_CONVS[block - 1]; conv++) {
                String name = "block" + block + "_conv" + conv;
                layers.put(name, List.of(name, Integer.toString(zooIndex++)));
            }
            zooIndex++;
        }
        return layers;
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
        return withPaperHead(channels, size, classes, seed, CNN2DFormat.NCHW);
    }

    /**
     * The same network for input in {@code format}: {@code NHWC} takes {@code [N, size, size, channels]} and keeps its
     * activations channels-last, the layout oneDNN's convolution kernels work in on AVX-512 CPUs. The weights are
     * drawn as for NCHW, but {@code fc1} reads the flattened features in the format's order.
     */
    public static ComputationGraph withPaperHead(int channels, int size, int classes, long seed, CNN2DFormat format) {
        ComputationGraph graph = new ComputationGraph(configuration(channels, size, classes, seed, DataType.FLOAT,
                format));
        graph.init();
        return graph;
    }

    /** The configuration of {@link #withPaperHead}, in the given data type. */
    public static ComputationGraphConfiguration configuration(int channels, int size, int classes, long seed,
            DataType dataType) {
        return configuration(channels, size, classes, seed, dataType, CNN2DFormat.NCHW);
    }

    /** The configuration of {@link #withPaperHead(int, int, int, long, CNN2DFormat)}, in the given data type. */
    public static ComputationGraphConfiguration configuration(int channels, int size, int classes, long seed,
            DataType dataType, CNN2DFormat format) {
        if (channels < 1 || size < 32 || classes < 1) {
            throw new IllegalArgumentException("VGG16 needs channels >= 1, size >= 32 and classes >= 1; got channels="
                    + channels + ", size=" + size + ", classes=" + classes);
        }
        ComputationGraphConfiguration.GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .seed(Seeds.nd4j(seed)).dataType(dataType).updater(new Adam(1e-4)).weightInit(WeightInit.RELU)
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
        return PaperHead.addTo(graph, previous, classes)
                .setInputTypes(InputType.convolutional(size, size, channels, format))
                .build();
    }
}
