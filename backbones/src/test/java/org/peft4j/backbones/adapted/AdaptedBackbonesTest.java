package org.peft4j.backbones.adapted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.AdapterRegistry;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.backbones.Cnn1dMini;
import org.peft4j.backbones.Vgg16;
import org.peft4j.backbones.VggMini;
import org.peft4j.backbones.ZooResNet50;
import org.peft4j.backbones.weights.ExpectedChecksum;
import org.peft4j.backbones.weights.ModelFiles;
import org.peft4j.backbones.weights.WeightTransfer;
import org.peft4j.io.AtomicFiles;

/**
 * Each backbone: weights saved to a file and loaded back, adapted with {@code lora} (and with
 * {@code colora} once it is on the class path), a batch pushed through, parameter counts checked
 * against counts made by hand. At initialisation an adapter adds nothing (B = 0, Kd = 0), so the
 * adapted network must give the loaded network's outputs.
 */
class AdaptedBackbonesTest {

    private static final int RANK = 8;

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private <N extends Model> N saveAndLoad(N network, String name) throws Exception {
        Path file = dir.resolve(name + ".zip");
        AtomicFiles.writeModel(network, file, false);
        return (N) ModelFiles.restore(file, ExpectedChecksum.of(file, ExpectedChecksum.Algorithm.SHA256));
    }

    private static INDArray output(Model network, INDArray x) {
        return network instanceof ComputationGraph graph ? graph.outputSingle(x) : ((MultiLayerNetwork) network).output(x);
    }

    private static <N extends Model> PeftModel<N> loraOnFc1(N network) {
        return Peft.apply(network, PeftConfig.builder().method("lora").targets(LayerSelector.names("fc1"))
                .trainable(LayerSelector.names("predictions")).build());
    }

    @Test
    void vggMiniFromAFileWithLoraOnFc1() throws Exception {
        MultiLayerNetwork base = saveAndLoad(VggMini.create(5, 3), "vgg-mini");
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28);
        PeftModel<MultiLayerNetwork> model = loraOnFc1(base);
        assertThat(output(model.network(), x).equalsWithEps(output(base, x), 1e-5)).isTrue();
        // fc1 [1152, 128]: A [1152, 8] + B [8, 128]; predictions 128*5 + 5
        assertThat(model.parameterReport().trainable()).isEqualTo(1152L * RANK + RANK * 128L + 128 * 5 + 5);
        assertThat(model.parameterReport().totalAfterMerge()).isEqualTo(base.numParams());
    }

    @Test
    void vgg16At32FromAFileThroughTheTransferWithLoraOnFc1() throws Exception {
        ComputationGraph saved = saveAndLoad(Vgg16.withPaperHead(3, 32, 4, 4), "vgg16-32");
        ComputationGraph base = Vgg16.withPaperHead(3, 32, 4, 5);
        WeightTransfer.copy(base, ModelFiles.read(dir.resolve("vgg16-32.zip"), ExpectedChecksum.unchecked()),
                Vgg16.backboneLayers());
        assertThat(base.getLayer("block3_conv1").getParam("W")).isEqualTo(saved.getLayer("block3_conv1").getParam("W"));
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        PeftModel<ComputationGraph> model = loraOnFc1(base);
        assertThat(output(model.network(), x).equalsWithEps(output(base, x), 1e-5)).isTrue();
        // at 32x32 the head sees 1x1x512: fc1 [128, 128]
        assertThat(model.parameterReport().trainable()).isEqualTo(128L * RANK + RANK * 128L + 128 * 4 + 4);
    }

    @Test
    void zooResNet50At32FromAFileWithLoraOnFc1() throws Exception {
        ComputationGraph base = saveAndLoad(ZooResNet50.withPaperHead(3, 32, 4, 6), "resnet50-32");
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32);
        PeftModel<ComputationGraph> model = loraOnFc1(base);
        assertThat(output(model.network(), x).equalsWithEps(output(base, x), 1e-5)).isTrue();
        assertThat(model.parameterReport().trainable()).isEqualTo(128L * RANK + RANK * 128L + 128 * 4 + 4);
        assertThat(model.parameterReport().totalAfterMerge()).isEqualTo(base.numParams());
    }

    @Test
    void cnn1dMiniFromAFileWithLoraOnFc1() throws Exception {
        MultiLayerNetwork base = saveAndLoad(Cnn1dMini.create(2, 40, 3, 7), "cnn1d-mini");
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 2, 40);
        PeftModel<MultiLayerNetwork> model = loraOnFc1(base);
        assertThat(output(model.network(), x).equalsWithEps(output(base, x), 1e-5)).isTrue();
        assertThat(model.parameterReport().trainable()).isEqualTo(128L * RANK + RANK * 128L + 128 * 3 + 3);
    }

    @Test
    void coloraOnTheConvolutionsOfTheSmallBackbones() throws Exception {
        AdapterRegistry registry = AdapterRegistry.fromClasspath();
        assumeTrue(registry.contains("colora"), "method 'colora' is not on the class path yet; available: " + registry.names());

        MultiLayerNetwork mini = saveAndLoad(VggMini.create(5, 3), "vgg-mini");
        PeftModel<MultiLayerNetwork> adapted = Peft.apply(mini, PeftConfig.builder().method("colora")
                .targets(LayerSelector.byType(ConvolutionLayer.class).and(LayerSelector.byName("block[23]_conv\\d")))
                .trainable(LayerSelector.names("fc1", "predictions")).build(), registry);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28);
        assertThat(output(adapted.network(), x).equalsWithEps(output(mini, x), 1e-4)).isTrue();
        // (C_in, C_out) of block2/3 convs: (32,64) (64,64) (64,128) (128,128); per conv C_out*C_in + C_out*9 + C_out
        long colora = 0;
        for (int[] conv : new int[][] {{32, 64}, {64, 64}, {64, 128}, {128, 128}}) {
            colora += (long) conv[1] * conv[0] + conv[1] * 9L + conv[1];
        }
        long head = 1152L * 128 + 128 + 128 * 5 + 5;
        assertThat(adapted.parameterReport().trainable()).isEqualTo(colora + head);
        assertThat(adapted.parameterReport().totalAfterMerge()).isEqualTo(mini.numParams());

        MultiLayerNetwork cnn1d = saveAndLoad(Cnn1dMini.create(2, 40, 3, 7), "cnn1d-mini");
        PeftModel<MultiLayerNetwork> adapted1d = Peft.apply(cnn1d, PeftConfig.builder().method("colora")
                .targets(LayerSelector.byType(Convolution1DLayer.class)).build(), registry);
        INDArray seq = Nd4j.rand(DataType.FLOAT, 2, 2, 40);
        assertThat(output(adapted1d.network(), seq).equalsWithEps(output(cnn1d, seq), 1e-4)).isTrue();
        // (C_in, C_out, k): (2, 32, 5) (32, 64, 5) (64, 128, 3)
        long colora1d = 0;
        for (int[] conv : new int[][] {{2, 32, 5}, {32, 64, 5}, {64, 128, 3}}) {
            colora1d += (long) conv[1] * conv[0] + (long) conv[1] * conv[2] + conv[1];
        }
        assertThat(adapted1d.parameterReport().trainable()).isEqualTo(colora1d);
    }
}
