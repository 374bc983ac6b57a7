package org.peft4j.lora;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.api.StatsReport;
import org.deeplearning4j.ui.model.stats.api.StatsType;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;

/**
 * What DL4J's training listeners (e.g. the UI's {@code StatsListener}) read of an adapted network during
 * {@code fit}: {@code model.paramTable()} and {@code model.gradient().gradientForVariable()} per parameter.
 */
class ListenerViewTest {

    /** Records, per parameter key, the largest absolute gradient seen and the parameter's change. */
    private static final class Recorder extends BaseTrainingListener {
        final Map<String, Double> gradients = new HashMap<>();
        final Map<String, INDArray> first = new HashMap<>();
        final Map<String, INDArray> last = new HashMap<>();

        @Override
        public void onGradientCalculation(Model model) {
            model.gradient().gradientForVariable().forEach((k, g) ->
                    gradients.merge(k, g.amaxNumber().doubleValue(), Math::max));
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            model.paramTable().forEach((k, p) -> {
                first.putIfAbsent(k, p.dup());
                last.put(k, p.dup());
            });
        }
    }

    @Test
    void listenersSeeAdapterParametersGradientsAndUpdatesAndFrozenWeightsStill() {
        PeftModel<MultiLayerNetwork> model = Peft.apply(LoraFixtures.mlp(DataType.FLOAT), PeftConfig.builder()
                .method("lora").config(LoraConfig.of(2, 2)).targets(LayerSelector.names("dense2")).build(),
                LoraFixtures.registry());
        MultiLayerNetwork net = model.network();
        Recorder recorder = new Recorder();
        net.setListeners(recorder);
        for (int i = 0; i < 4; i++) {
            net.fit(LoraFixtures.data(DataType.FLOAT));
        }
        assertThat(net.paramTable()).containsKeys("0_W", "1_W", "1_A", "1_B", "2_W");
        assertThat(recorder.gradients).as("gradients only of trainable parameters").containsOnlyKeys("1_A", "1_B");
        assertThat(recorder.gradients.get("1_B")).isPositive();
        assertThat(recorder.last.get("1_B")).as("the adapter moves").isNotEqualTo(recorder.first.get("1_B"));
        for (String frozen : new String[] {"0_W", "1_W", "2_W"}) {
            assertThat(recorder.last.get(frozen).data().asFloat()).as(frozen)
                    .containsExactly(recorder.first.get(frozen).data().asFloat());
        }
    }

    @Test
    void dl4jsStatsListenerRecordsTheAdapterParametersAndTheirGradients() {
        PeftModel<MultiLayerNetwork> model = Peft.apply(LoraFixtures.mlp(DataType.FLOAT), PeftConfig.builder()
                .method("lora").config(LoraConfig.of(2, 2)).targets(LayerSelector.names("dense2")).build(),
                LoraFixtures.registry());
        MultiLayerNetwork net = model.network();
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        net.setListeners(new StatsListener(storage, 1));
        for (int i = 0; i < 3; i++) {
            net.fit(LoraFixtures.data(DataType.FLOAT));
        }
        String session = storage.listSessionIDs().get(0);
        String worker = storage.listWorkerIDsForSession(session).get(0);
        List<Persistable> updates = storage.getAllUpdatesAfter(session, StatsListener.TYPE_ID, worker, 0);
        assertThat(updates).isNotEmpty();
        StatsReport last = (StatsReport) updates.get(updates.size() - 1);
        assertThat(last.getMeanMagnitudes(StatsType.Parameters)).containsKeys("1_A", "1_B", "1_W");
        assertThat(last.getMeanMagnitudes(StatsType.Gradients)).containsKeys("1_A", "1_B");
        assertThat(last.getMeanMagnitudes(StatsType.Gradients).get("1_B")).isPositive();
        assertThat(last.getScore()).isFinite();
    }
}
