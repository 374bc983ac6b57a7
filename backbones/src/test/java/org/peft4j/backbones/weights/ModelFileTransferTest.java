package org.peft4j.backbones.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.zoo.model.VGG16;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.backbones.Vgg16;
import org.peft4j.backbones.VggMini;
import org.peft4j.io.AtomicFiles;

/** Weights saved from randomly initialised networks to files, read back through the same code users call. */
class ModelFileTransferTest {

    @TempDir
    Path dir;

    @Test
    void aZooVgg16FileFillsThePaperTopologyAndGivesTheZoosFeatures() throws Exception {
        ComputationGraph zoo = VGG16.builder().inputShape(new int[] {3, 32, 32}).numClasses(2).seed(5).build().init();
        // shrink the zoo's 4096-wide top so the file stays small; it is not transferred anyway
        zoo = new TransferLearning.GraphBuilder(zoo).nOutReplace("18", 16, WeightInit.XAVIER).build();
        Path file = dir.resolve("vgg16_zoo_layout.zip");
        AtomicFiles.writeModel(zoo, file, false);
        ExpectedChecksum checksum = ExpectedChecksum.of(file, ExpectedChecksum.Algorithm.ADLER32);

        ComputationGraph vgg = Vgg16.withPaperHead(3, 32, 4, 11);
        INDArray headBefore = vgg.getLayer("head_conv").getParam("W").dup();
        WeightTransfer.Report report = WeightTransfer.copy(vgg, ModelFiles.read(file, checksum), Vgg16.backboneLayers());

        assertThat(report.copied()).hasSize(13).containsEntry("block1_conv1", "0").containsEntry("block2_conv1", "3")
                .containsEntry("block5_conv3", "16");
        assertThat(report.copied().keySet()).containsExactlyElementsOf(Vgg16.convolutionNames());
        assertThat(report.unusedSource()).containsExactly("18", "19", "20");
        assertThat(vgg.getLayer("block4_conv2").getParam("W")).isEqualTo(zoo.getLayer("11").getParam("W"));
        assertThat(vgg.getLayer("head_conv").getParam("W")).isEqualTo(headBefore);

        // 'same' padding here, explicit padding 1 in the zoo: the same features after block 5
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 32, 32).muli(255);
        INDArray ours = vgg.feedForward(x, false).get("block5_pool");
        INDArray theirs = zoo.feedForward(x.reshape(2, 3 * 32 * 32), false).get("17");
        assertThat(ours.shape()).containsExactly(2, 512, 1, 1);
        assertThat(ours.reshape(2, 512).equalsWithEps(theirs.reshape(2, 512), 1e-3 * theirs.maxNumber().doubleValue()))
                .isTrue();
    }

    @Test
    void aFileIsLoadedOnlyWithItsChecksum() throws Exception {
        Path file = dir.resolve("mini.zip");
        AtomicFiles.writeModel(VggMini.create(5, 0), file, false);
        ExpectedChecksum sha = ExpectedChecksum.of(file, ExpectedChecksum.Algorithm.SHA256);
        assertThat(ModelFiles.read(file, sha).names()).contains("block1_conv1", "fc1", "predictions");

        ExpectedChecksum wrong = ExpectedChecksum.adler32(12345);
        assertThatThrownBy(() -> ModelFiles.read(file, wrong)).isInstanceOf(WeightsFileException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("ADLER32 checksum is")
                .hasMessageContaining("expected 12345");
        assertThatThrownBy(() -> ModelFiles.read(dir.resolve("absent.zip"), sha)).hasMessageContaining("no such file");

        Path text = dir.resolve("notes.zip");
        Files.writeString(text, "not a model");
        assertThatThrownBy(() -> ModelFiles.read(text, ExpectedChecksum.unchecked()))
                .isInstanceOf(WeightsFileException.class).hasMessageContaining("not a DL4J model file");
        assertThatThrownBy(() -> ExpectedChecksum.sha256("abc")).hasMessageContaining("not a valid SHA256");
    }

    @Test
    void everyMismatchIsListedAndNothingIsCopied() {
        NamedWeights rgb = NamedWeights.of(Vgg16.withPaperHead(3, 32, 4, 1), "rgb-vgg16");
        ComputationGraph gray = Vgg16.withPaperHead(1, 32, 4, 2);
        INDArray before = gray.getLayer("block2_conv1").getParam("W").dup();
        assertThatThrownBy(() -> WeightTransfer.copy(gray, rgb, Vgg16.backboneLayers()))
                .hasMessageContaining("from rgb-vgg16 (1 problem, nothing was copied)")
                .hasMessageContaining("layer 'block1_conv1' parameter W has shape [64, 1, 3, 3], "
                        + "source layer 'block1_conv1' gives [64, 3, 3, 3]");
        assertThat(gray.getLayer("block2_conv1").getParam("W")).isEqualTo(before);

        Map<String, Map<String, INDArray>> layers = new java.util.LinkedHashMap<>(rgb.layers());
        layers.remove("block3_conv2");
        NamedWeights holed = new NamedWeights("holed", layers);
        assertThatThrownBy(() -> WeightTransfer.copy(Vgg16.withPaperHead(3, 32, 4, 2), holed, Vgg16.backboneLayers()))
                .hasMessageContaining("layer 'block3_conv2': no source layer named [block3_conv2, 7]");
    }
}
