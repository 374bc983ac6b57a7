package org.peft4j.bench.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.backbones.Vgg16;
import org.peft4j.backbones.ZooResNet50;
import org.peft4j.bench.train.InputSpec;

/** The runner's backbones load pretrained files through the backbones module, by layer name and shape. */
class PretrainedBackbonesTest {

    @TempDir
    Path dir;

    @Test
    void vgg16TakesItsConvolutionsFromAModelFileAndKeepsItsOwnHead() throws IOException {
        ComputationGraph source = Vgg16.withPaperHead(3, 32, 4, 7);
        Path file = dir.resolve("vgg16.zip");
        ModelSerializer.writeModel(source, file.toFile(), false);

        Backbone backbone = Backbones.byName("vgg16", 32, Optional.of(file));
        ComputationGraph loaded = (ComputationGraph) backbone.create(4, 0);

        assertThat(loaded.getLayer("block3_conv2").getParam("W")).isEqualTo(source.getLayer("block3_conv2").getParam("W"));
        assertThat(loaded.getLayer("block1_conv1").getParam("b")).isEqualTo(source.getLayer("block1_conv1").getParam("b"));
        assertThat(loaded.getLayer("fc1").getParam("W")).isNotEqualTo(source.getLayer("fc1").getParam("W"));
        assertThat(backbone.input().normalisation()).isEqualTo(InputSpec.Normalisation.VGG_IMAGENET);
    }

    @Test
    void resnet50TakesEveryConvolutionAndBatchNormFromAModelFile() throws IOException {
        ComputationGraph source = ZooResNet50.withPaperHead(3, 32, 4, 7);
        Path file = dir.resolve("resnet50.zip");
        ModelSerializer.writeModel(source, file.toFile(), false);

        Backbone backbone = Backbones.byName("resnet50", 32, Optional.of(file));
        ComputationGraph loaded = (ComputationGraph) backbone.create(4, 0);

        assertThat(loaded.getLayer("res4b_branch2b").getParam("W")).isEqualTo(source.getLayer("res4b_branch2b").getParam("W"));
        assertThat(loaded.getLayer("stem-cnn1").getParam("W")).isEqualTo(source.getLayer("stem-cnn1").getParam("W"));
        assertThat(loaded.getLayer("bn5c_branch2c").paramTable()).isEqualTo(source.getLayer("bn5c_branch2c").paramTable());
        assertThat(backbone.featureBoundary()).isEqualTo(ZooResNet50.FEATURES);
        assertThat(loaded.getConfiguration().getVertices()).containsKey(backbone.featureBoundary());
    }

    @Test
    void aFileOfAnotherNetworkIsRefusedNamingTheFileAndALayer() throws IOException {
        Path file = dir.resolve("vgg16.zip");
        ModelSerializer.writeModel(Vgg16.withPaperHead(3, 32, 4, 7), file.toFile(), false);

        assertThatThrownBy(() -> Backbones.byName("resnet50", 32, Optional.of(file)).create(4, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("res2a_branch2a");
    }

    @Test
    void anUnknownBackboneListsTheKnownOnes() {
        assertThatThrownBy(() -> Backbones.byName("resnet18", 224, Optional.empty()))
                .hasMessageContaining("vgg16").hasMessageContaining("resnet50").hasMessageContaining("vgg-mini");
    }
}
