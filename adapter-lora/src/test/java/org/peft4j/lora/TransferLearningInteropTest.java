package org.peft4j.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.testkit.Nets;

/** Networks built by DL4J's {@code TransferLearning} builders, with DL4J's own {@code FrozenLayer}s, adapted by LoRA. */
class TransferLearningInteropTest {

    /** Float outputs of a merged network: the merged weight is rounded once more than the adapted pass. */
    private static final double MERGE_TOLERANCE = 1e-5;

    private static final FineTuneConfiguration FINE_TUNE = new FineTuneConfiguration.Builder()
            .updater(new Adam(1e-2)).seed(7).build();

    private static OutputLayer head() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(7).nOut(LoraFixtures.CLASSES)
                .activation(Activation.SOFTMAX).build();
    }

    /** dense1 frozen by DL4J ({@code setFeatureExtractor(0)}), dense2 pretrained, a new output layer. */
    private static MultiLayerNetwork transferred() {
        return new TransferLearning.Builder(LoraFixtures.mlp(DataType.FLOAT)).fineTuneConfiguration(FINE_TUNE)
                .setFeatureExtractor(0).removeOutputLayer().addLayer(head()).build();
    }

    private static PeftConfig lora(String target, String trainable) {
        return PeftConfig.builder().method("lora").config(LoraConfig.of(2, 2)).targets(LayerSelector.names(target))
                .trainable(LayerSelector.names(trainable)).build();
    }

    /** The values as stored: {@code INDArray.equals} compares within a tolerance, this exactly. */
    private static float[] bits(INDArray array) {
        return array.dup().data().asFloat();
    }

    private static void assertBitIdentical(Map<String, INDArray> actual, Map<String, INDArray> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((k, v) -> assertThat(bits(actual.get(k))).as(k).containsExactly(bits(v)));
    }

    private static Map<String, INDArray> copy(Map<String, INDArray> params) {
        Map<String, INDArray> out = new java.util.HashMap<>();
        params.forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    @Test
    void aTransferLearningNetworkTrainsWithItsFrozenLayerBitIdenticalAndMerges() {
        MultiLayerNetwork base = transferred();
        assertThat(base.getLayer(0)).isInstanceOf(org.deeplearning4j.nn.layers.FrozenLayer.class);
        PeftModel<MultiLayerNetwork> model = Peft.apply(base, lora("dense2", "layer2"), LoraFixtures.registry());
        MultiLayerNetwork net = model.network();
        Map<String, INDArray> frozen1 = copy(net.getLayer(0).paramTable());
        INDArray w2 = net.getLayer(1).getParam("W").dup();
        INDArray head = net.getLayer(2).params().dup();
        assertThat(model.parameterReport().frozen()).isEqualTo(frozen1.values().stream().mapToLong(INDArray::length).sum()
                + w2.length() + net.getLayer(1).getParam("b").length());

        DataSet data = LoraFixtures.data(DataType.FLOAT);
        INDArray x = data.getFeatures();
        assertThat(bits(model.unload().output(x))).as("unloaded before training: the transferred network")
                .containsExactly(bits(base.output(x)));
        for (int i = 0; i < 5; i++) {
            net.fit(data);
        }
        assertBitIdentical(net.getLayer(0).paramTable(), frozen1);
        assertThat(bits(net.getLayer(1).getParam("W"))).as("the adapted layer's frozen weight").containsExactly(bits(w2));
        assertThat(net.getLayer(2).params()).as("the new head trains").isNotEqualTo(head);

        MultiLayerNetwork merged = model.mergeAndUnload();
        assertThat(merged.getLayer(0)).as("DL4J's freezing is kept").isInstanceOf(org.deeplearning4j.nn.layers.FrozenLayer.class);
        assertThat(Nets.maxRelativeError(merged.output(x), net.output(x))).as("merged: W0 + dW rounded once")
                .isLessThanOrEqualTo(MERGE_TOLERANCE);
        assertThat(merged.getLayer(1).getParam("W")).isNotEqualTo(w2);
    }

    @Test
    void aGraphFromTheTransferLearningGraphBuilderTrainsAndMerges() {
        ComputationGraph base = new TransferLearning.GraphBuilder(LoraFixtures.graph(DataType.FLOAT))
                .fineTuneConfiguration(FINE_TUNE).setFeatureExtractor("a").removeVertexAndConnections("out")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(9)
                        .nOut(LoraFixtures.CLASSES).activation(Activation.SOFTMAX).build(), "ab")
                .setOutputs("out").build();
        assertThat(base.getLayer("a")).isInstanceOf(org.deeplearning4j.nn.layers.FrozenLayer.class);
        PeftModel<ComputationGraph> model = Peft.apply(base, lora("b", "out"), LoraFixtures.registry());
        ComputationGraph net = model.network();
        Map<String, INDArray> frozenA = copy(net.getLayer("a").paramTable());
        INDArray wb = net.getLayer("b").getParam("W").dup();

        DataSet data = LoraFixtures.data(DataType.FLOAT);
        INDArray before = net.outputSingle(data.getFeatures()).dup();
        for (int i = 0; i < 5; i++) {
            net.fit(data);
        }
        assertBitIdentical(net.getLayer("a").paramTable(), frozenA);
        assertThat(bits(net.getLayer("b").getParam("W"))).containsExactly(bits(wb));
        assertThat(net.outputSingle(data.getFeatures())).isNotEqualTo(before);

        ComputationGraph merged = model.mergeAndUnload();
        assertThat(Nets.maxRelativeError(merged.outputSingle(data.getFeatures()), net.outputSingle(data.getFeatures())))
                .isLessThanOrEqualTo(MERGE_TOLERANCE);
    }

    @Test
    void targetingALayerDl4jFrozeIsRefusedNamingIt() {
        MultiLayerNetwork base = transferred();
        assertThatThrownBy(() -> Peft.apply(base, lora("dense1", "layer2"), LoraFixtures.registry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'dense1' is frozen by DL4J (FrozenLayer around DenseLayer");
    }
}
