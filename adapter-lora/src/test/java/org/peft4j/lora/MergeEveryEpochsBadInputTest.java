package org.peft4j.lora;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.LayerSelector;
import org.peft4j.MergeEveryEpochs;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.testkit.Nets;

/**
 * MergeEveryEpochs counts the network's epochs, not its own calls: a network saved and restored mid-training
 * merges after the same epochs, into the same weights, as one trained straight through; training that ends no epoch is reported.
 */
class MergeEveryEpochsBadInputTest {

    private static final PeftConfig LORA = PeftConfig.builder().method("lora").config(LoraConfig.of(2, 4))
            .targets(LayerSelector.byType(DenseLayer.class)).build();

    private static ViewIterator batches() {
        return new ViewIterator(LoraFixtures.data(DataType.FLOAT), 4);
    }

    private static MultiLayerNetwork saveAndRestore(MultiLayerNetwork net) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
    }

    @Test
    void aRestoredNetworkMergesAfterTheSameEpochsAndEndsWhereAnUninterruptedRunEnds() throws IOException {
        MultiLayerNetwork straight = Peft.apply(LoraFixtures.mlp(DataType.FLOAT), LORA, LoraFixtures.registry())
                .network();
        MultiLayerNetwork interrupted = straight.clone();
        MergeEveryEpochs straightMerges = new MergeEveryEpochs(2);
        straight.setListeners(straightMerges);
        Nd4j.getRandom().setSeed(17); // a merge redraws the adapters: both runs draw the same values at epoch 2
        straight.fit(batches(), 4);
        assertThat(straightMerges.merges()).isEqualTo(2);

        MergeEveryEpochs firstPart = new MergeEveryEpochs(2);
        interrupted.setListeners(firstPart);
        Nd4j.getRandom().setSeed(17);
        interrupted.fit(batches(), 3);
        assertThat(firstPart.merges()).isEqualTo(1);
        MultiLayerNetwork resumed = saveAndRestore(interrupted);
        MergeEveryEpochs secondPart = new MergeEveryEpochs(2);
        resumed.setListeners(secondPart);
        resumed.fit(batches(), 1);

        assertThat(secondPart.merges()).as("merge after epoch 4 of the resumed run").isEqualTo(1);
        assertThat(resumed.getLayer("dense1").getParam("B").amaxNumber().doubleValue()).isZero();
        Map<String, INDArray> straightWeights = Nets.snapshot(straight, true);
        Map<String, INDArray> resumedWeights = Nets.snapshot(resumed, true);
        assertThat(resumedWeights.keySet()).isEqualTo(straightWeights.keySet()).contains("dense1/W");
        straightWeights.forEach((key, value) -> assertThat(Nets.maxRelativeError(resumedWeights.get(key), value))
                .as("merged weight %s", key).isLessThan(1e-5));
    }

    @Test
    void aRestoredGraphMergesAfterTheSameEpochs() throws IOException {
        ComputationGraph graph = Peft.apply(LoraFixtures.graph(DataType.FLOAT), LORA, LoraFixtures.registry()).network();
        graph.setListeners(new MergeEveryEpochs(2));
        graph.fit(batches(), 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(graph, bytes, true);
        ComputationGraph resumed = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()),
                true);
        MergeEveryEpochs secondPart = new MergeEveryEpochs(2);
        resumed.setListeners(secondPart);
        resumed.fit(batches(), 1);
        assertThat(secondPart.merges()).isEqualTo(1);
        assertThat(resumed.getLayer("a").getParam("B").amaxNumber().doubleValue()).isZero();
    }

    @Test
    void trainingWithFitDataSetInALoopIsReportedOnceAndIteratorTrainingIsNot() {
        MultiLayerNetwork net = Peft.apply(LoraFixtures.mlp(DataType.FLOAT), LORA, LoraFixtures.registry()).network();
        List<String> warnings = new ArrayList<>();
        MergeEveryEpochs everyEpoch = new MergeEveryEpochs(1, warnings::add);
        net.setListeners(everyEpoch);
        net.fit(batches(), 2);
        assertThat(warnings).isEmpty();
        assertThat(everyEpoch.merges()).isEqualTo(2);

        DataSet data = LoraFixtures.data(DataType.FLOAT);
        for (int i = 0; i < 3; i++) {
            net.fit(data);
        }
        assertThat(everyEpoch.merges()).isEqualTo(2);
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("MergeEveryEpochs(1)").contains("fit(DataSet)")
                .contains("never merge").contains("fit(DataSetIterator, epochs)");
    }
}
