package org.peft4j.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.peft4j.LayerSelector;
import org.peft4j.MergeEveryEpochs;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.UnsafeMergeException;
import org.peft4j.testkit.Nets;

/** Safe merge and the merge-every-N-epochs listener. */
class MergeTest {

    private static PeftModel<MultiLayerNetwork> trained() {
        PeftModel<MultiLayerNetwork> model = Peft.apply(LoraFixtures.mlp(DataType.FLOAT), PeftConfig.builder()
                .method("lora").config(LoraConfig.of(2, 4)).targets(LayerSelector.byType(DenseLayer.class)).build(),
                LoraFixtures.registry());
        Nets.fit(model.network(), LoraFixtures.data(DataType.FLOAT), 5);
        return model;
    }

    @Test
    void aMergeThatWouldWriteNaNOrInfinityIsRefusedAndChangesNothing() {
        PeftModel<MultiLayerNetwork> model = trained();
        MultiLayerNetwork net = model.network();
        net.getLayer(1).getParam("A").putScalar(0, 0, Float.NaN);
        net.getLayer(0).getParam("B").putScalar(0, 0, Float.POSITIVE_INFINITY);
        double[] before = Nets.values(net.params());
        assertThatThrownBy(model::mergeInPlace).isInstanceOf(UnsafeMergeException.class)
                .hasMessageContaining("dense1/W").hasMessageContaining("dense2/W").hasMessageContaining("unchanged");
        assertThat(Nets.values(net.params())).containsExactly(before);
        assertThatThrownBy(model::mergeAndUnload).isInstanceOf(UnsafeMergeException.class);
    }

    @Test
    void theListenerMergesAfterEveryNthEpoch() {
        PeftModel<MultiLayerNetwork> model = trained();
        DataSet data = LoraFixtures.data(DataType.FLOAT);
        MergeEveryEpochs everySecond = new MergeEveryEpochs(2);
        model.network().setListeners(everySecond);
        ViewIterator batches = new ViewIterator(data, 4);
        model.network().fit(batches, 1);
        assertThat(everySecond.merges()).isZero();
        assertThat(model.network().getLayer(0).getParam("B").amaxNumber().doubleValue()).isPositive();
        model.network().fit(batches, 3);
        assertThat(everySecond.merges()).isEqualTo(2);
        assertThat(model.network().getLayer(0).getParam("B").amaxNumber().doubleValue()).isZero();
        assertThat(model.network().getLayer(0).getParam("W")).isNotEqualTo(LoraFixtures.mlp(DataType.FLOAT).getLayer(0).getParam("W"));
        assertThatThrownBy(() -> new MergeEveryEpochs(0)).hasMessageContaining(">= 1");
    }

    @Test
    void theListenerWorksOnAGraph() {
        PeftModel<ComputationGraph> model = Peft.apply(LoraFixtures.graph(DataType.FLOAT), PeftConfig.builder()
                .method("lora").config(LoraConfig.of(2, 4)).targets(LayerSelector.byType(DenseLayer.class)).build(),
                LoraFixtures.registry());
        MergeEveryEpochs everyEpoch = new MergeEveryEpochs(1);
        model.network().setListeners(everyEpoch);
        model.network().fit(new ViewIterator(LoraFixtures.data(DataType.FLOAT), 6), 2);
        assertThat(everyEpoch.merges()).isEqualTo(2);
        assertThat(model.network().getLayer("a").getParam("B").amaxNumber().doubleValue()).isZero();
    }

    @Test
    void mergingANetworkWithoutAdaptersIsAnError() {
        assertThatThrownBy(() -> Peft.wrap(LoraFixtures.mlp(DataType.FLOAT))).hasMessageContaining("no adapted layers");
    }
}
