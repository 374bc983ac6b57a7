package org.peft4j.backbones.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.backbones.Vgg16;
import org.peft4j.backbones.weights.KerasH5Files.LayerWeights;
import org.peft4j.backbones.weights.KerasH5Files.Layout;
import org.peft4j.backbones.weights.KerasH5Files.Tensor;

/** Keras "notop"-layout files written here from randomly initialised networks, read back with {@link KerasH5Weights}. */
class KerasH5WeightsTest {

    @TempDir
    Path dir;

    /** A DL4J kernel [O, C, kH, kW] in TensorFlow order [kH, kW, C, O], moved by index arithmetic. */
    private static Tensor tensorFlowKernel(INDArray w) {
        int o = (int) w.size(0);
        int c = (int) w.size(1);
        int kh = (int) w.size(2);
        int kw = (int) w.size(3);
        float[] dl4j = w.dup('c').data().asFloat();
        float[] tf = new float[dl4j.length];
        for (int oo = 0; oo < o; oo++) {
            for (int cc = 0; cc < c; cc++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        tf[((i * kw + j) * c + cc) * o + oo] = dl4j[((oo * c + cc) * kh + i) * kw + j];
                    }
                }
            }
        }
        return new Tensor(new long[] {kh, kw, c, o}, tf);
    }

    private static Tensor vector(INDArray b) {
        return new Tensor(new long[] {b.length()}, b.dup('c').data().asFloat());
    }

    /** VGG16's notop file: input_1, the 13 convolutions and the 5 poolings, in Keras order. */
    private static List<LayerWeights> notop(ComputationGraph vgg) {
        List<LayerWeights> layers = new ArrayList<>();
        layers.add(new LayerWeights("input_1", Map.of()));
        int[] convs = {2, 2, 3, 3, 3};
        for (int block = 1; block <= 5; block++) {
            for (int conv = 1; conv <= convs[block - 1]; conv++) {
                String name = "block" + block + "_conv" + conv;
                Map<String, Tensor> weights = new LinkedHashMap<>();
                weights.put("kernel", tensorFlowKernel(vgg.getLayer(name).getParam("W")));
                weights.put("bias", vector(vgg.getLayer(name).getParam("b")));
                layers.add(new LayerWeights(name, weights));
            }
            layers.add(new LayerWeights("block" + block + "_pool", Map.of()));
        }
        return layers;
    }

    @Test
    void aVgg16NotopFileFillsTheBackboneWithKerasConvolutionSemantics() throws Exception {
        ComputationGraph source = Vgg16.withPaperHead(3, 32, 4, 21);
        List<LayerWeights> layers = notop(source);
        Path file = dir.resolve("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5");
        KerasH5Files.write(file, layers, Layout.KERAS2);

        NamedWeights weights = KerasH5Weights.read(file, ExpectedChecksum.of(file, ExpectedChecksum.Algorithm.MD5));
        assertThat(weights.names()).containsExactlyInAnyOrderElementsOf(Vgg16.convolutionNames());
        ComputationGraph vgg = Vgg16.withPaperHead(3, 32, 4, 22);
        WeightTransfer.copy(vgg, weights, Vgg16.backboneLayers());
        for (String conv : Vgg16.convolutionNames()) {
            assertThat(vgg.getLayer(conv).getParam("W")).as(conv).isEqualTo(source.getLayer(conv).getParam("W"));
            assertThat(vgg.getLayer(conv).getParam("b")).as(conv).isEqualTo(source.getLayer(conv).getParam("b"));
        }

        // Keras' Conv2D: out[o, y, x] = relu(b[o] + sum_{i, j, c} in[c, y + i - 1, x + j - 1] * K[i, j, c, o]),
        // zero padding ('same'), with K exactly as stored in the file
        Tensor kernel = layers.get(1).weights().get("kernel");
        float[] bias = layers.get(1).weights().get("bias").values();
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 32, 32);
        INDArray ours = vgg.feedForward(x, false).get("block1_conv1");
        double worst = 0;
        for (int o = 0; o < 64; o++) {
            for (int y = 0; y < 32; y++) {
                for (int xx = 0; xx < 32; xx++) {
                    double sum = bias[o];
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 3; j++) {
                            int yy = y + i - 1;
                            int xi = xx + j - 1;
                            if (yy < 0 || yy >= 32 || xi < 0 || xi >= 32) {
                                continue;
                            }
                            for (int c = 0; c < 3; c++) {
                                sum += x.getDouble(0, c, yy, xi) * kernel.values()[((i * 3 + j) * 3 + c) * 64 + o];
                            }
                        }
                    }
                    worst = Math.max(worst, Math.abs(Math.max(0, sum) - ours.getDouble(0, o, y, xx)));
                }
            }
        }
        assertThat(worst).isLessThan(1e-4);
    }

    @Test
    void keras1AndWholeModelLayoutsAndDenseKernelsAreReadToo() throws Exception {
        INDArray conv = Nd4j.rand(DataType.FLOAT, 4, 3, 3, 3);
        INDArray dense = Nd4j.rand(DataType.FLOAT, 5, 2);
        List<LayerWeights> layers = List.of(
                new LayerWeights("block1_conv1", Map.of("kernel", tensorFlowKernel(conv), "bias", vector(Nd4j.ones(4)))),
                new LayerWeights("fc", Map.of("kernel", new Tensor(new long[] {5, 2}, dense.data().asFloat()),
                        "bias", vector(Nd4j.zeros(2)))));
        for (Layout layout : Layout.values()) {
            Path file = dir.resolve(layout + ".h5");
            KerasH5Files.write(file, layers, layout);
            NamedWeights weights = KerasH5Weights.read(file, ExpectedChecksum.unchecked());
            assertThat(weights.names()).as(layout.name()).containsExactly("block1_conv1", "fc");
            assertThat(weights.layers().get("block1_conv1").get("W")).as(layout.name()).isEqualTo(conv);
            assertThat(weights.layers().get("fc").get("W")).as(layout.name()).isEqualTo(dense);
            assertThat(weights.layers().get("block1_conv1").get("b").shape()).containsExactly(4);
        }
        // DL4J's own Keras reader sees the same file: layer groups and the TensorFlow-ordered kernel
        try (Hdf5Archive archive = new Hdf5Archive(dir.resolve(Layout.KERAS2 + ".h5").toString())) {
            assertThat(archive.getGroups()).containsExactly("block1_conv1", "fc");
            INDArray kernel = archive.readDataSet("kernel:0", "block1_conv1", "block1_conv1");
            assertThat(kernel.shape()).containsExactly(3, 3, 3, 4);
            assertThat(kernel.permute(3, 2, 0, 1)).isEqualTo(conv);
        }
    }

    @Test
    void otherWeightsOtherFilesAndWrongDigestsAreRefusedByName() throws Exception {
        Path bn = dir.resolve("bn.h5");
        KerasH5Files.write(bn, List.of(new LayerWeights("bn_conv1", Map.of("gamma", vector(Nd4j.ones(4))))), Layout.KERAS2);
        assertThatThrownBy(() -> KerasH5Weights.read(bn, ExpectedChecksum.unchecked()))
                .isInstanceOf(WeightsFileException.class)
                .hasMessageContaining("layer 'bn_conv1' has weight 'bn_conv1/gamma:0'");

        Path text = dir.resolve("text.h5");
        Files.writeString(text, "not hdf5");
        assertThatThrownBy(() -> KerasH5Weights.read(text, ExpectedChecksum.unchecked()))
                .isInstanceOf(WeightsFileException.class).hasMessageContaining("not a readable HDF5 file");
        assertThatThrownBy(() -> KerasH5Weights.read(bn, ExpectedChecksum.md5("6d6bbae143d832006294945121d1f1fc")))
                .hasMessageContaining("MD5 checksum is").hasMessageContaining("expected 6d6bbae143d832006294945121d1f1fc");
    }
}
