package org.peft4j.backbones;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.zoo.model.ResNet50;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ZooResNet50Test {

    @Test
    void at224TheBackboneHasKerasResNet50ParameterCountAndTheHeadSitsOnFourByFourFeatures() {
        ComputationGraph graph = new ComputationGraph(ZooResNet50.configuration(3, 224, 4, 1, DataType.FLOAT));
        graph.init();
        long head = graph.getLayer("head_conv").numParams() + graph.getLayer("fc1").numParams()
                + graph.getLayer("predictions").numParams();
        // head on 4x4x2048 features, by hand: (2048*128 + 128) + (4*4*128*128 + 128) + (128*4 + 4)
        assertThat(head).isEqualTo(2048 * 128 + 128 + 4 * 4 * 128 * 128 + 128 + 128 * 4 + 4);
        // Keras' ResNet50 (v1) without its top has 23,587,712 parameters; the zoo has the same set
        assertThat(graph.numParams() - head).isEqualTo(23_587_712L);
        assertThat(graph.numParams()).isEqualTo(24_112_772L);
    }

    @Test
    void classifiesASmallBatchAndRefusesTinyInputs() {
        ComputationGraph graph = ZooResNet50.withPaperHead(1, 32, 3, 7);
        assertThat(graph.outputSingle(Nd4j.rand(DataType.FLOAT, 2, 1, 32, 32)).shape()).containsExactly(2, 3);
        assertThatThrownBy(() -> ZooResNet50.withPaperHead(3, 31, 4, 1)).hasMessageContaining("size >= 32");
    }

    @Test
    void backboneLayersAreEveryConvolutionAndBatchNormWithKerasStemAliases() {
        Map<String, List<String>> layers = ZooResNet50.backboneLayers();
        // 53 convolutions (1 stem + 16 units x 3 + 4 projection shortcuts) and as many batch norms
        assertThat(layers).hasSize(106);
        assertThat(layers.get("stem-cnn1")).containsExactly("stem-cnn1", "conv1");
        assertThat(layers.get("stem-batch1")).containsExactly("stem-batch1", "bn_conv1");
        assertThat(layers.get("res4f_branch2c")).containsExactly("res4f_branch2c");
        assertThat(layers).doesNotContainKeys("head_conv", "fc1", "predictions");
    }

    @Test
    void graftKeepsThePretrainedTopologyAndWeightsAndReplacesItsTop() {
        ComputationGraph pretrained = ResNet50.builder().numClasses(10).seed(3)
                .weightInit(new WeightInitRelu()).build().init();
        String before = pretrained.getConfiguration().toJson();
        ComputationGraph grafted = ZooResNet50.graftPaperHead(pretrained, "res5c_branch", 3, 96, 4, 5);

        assertThat(pretrained.getConfiguration().toJson()).isEqualTo(before);
        assertThat(grafted.getConfiguration().getVertices()).doesNotContainKeys("avgpool", "output")
                .containsKeys("head_conv", "fc1", "predictions");
        assertThat(grafted.getLayer("res3a_branch2a").getParam("W"))
                .isEqualTo(pretrained.getLayer("res3a_branch2a").getParam("W"));
        assertThat(grafted.getLayer("bn5c_branch2c").getParam("gamma"))
                .isEqualTo(pretrained.getLayer("bn5c_branch2c").getParam("gamma"));
        // at 96x96 the zoo topology ends on 2x2x2048 (96 -> 48 -> 23 -> 12 -> 6 -> 3 -> 2)
        assertThat(grafted.getLayer("fc1").getParam("W").shape()).containsExactly(2 * 2 * 128, 128);
        assertThat(grafted.outputSingle(Nd4j.rand(DataType.FLOAT, 2, 3, 96, 96)).shape()).containsExactly(2, 4);

        assertThatThrownBy(() -> ZooResNet50.graftPaperHead(pretrained, "res9z_branch", 3, 64, 4, 5))
                .hasMessageContaining("no vertex 'res9z_branch'");
        assertThatThrownBy(() -> PaperHead.graftOnto(pretrained, "output", InputType.convolutional(96, 96, 3), 4, 5))
                .hasMessageContaining("follows vertex 'output'");
    }
}
