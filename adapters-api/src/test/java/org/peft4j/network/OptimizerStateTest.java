package org.peft4j.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.TestNets;

class OptimizerStateTest {

    @Test
    void zeroesExactlyAdamsMomentsOfTheChosenParameter() {
        MultiLayerNetwork net = TestNets.mlp();
        net.fit(TestNets.data());
        net.fit(TestNets.data());
        // One Adam block holds all 4*5+4+3*4+3 = 39 params in order hidden W, hidden b, out W, out b;
        // its state is m[39] then v[39]. hidden/b sits at offsets [20, 24).
        INDArray state = net.getUpdater().getStateViewArray();
        assertThat(state.length()).isEqualTo(78);
        double[] before = state.dup().data().asDouble();

        long zeroed = OptimizerState.reset((org.deeplearning4j.nn.updater.BaseMultiLayerUpdater<?>) net.getUpdater(),
                Map.of("hidden", Set.of("b")));

        double[] after = net.getUpdater().getStateViewArray().data().asDouble();
        assertThat(zeroed).isEqualTo(8);
        for (int i = 0; i < 78; i++) {
            boolean target = (i >= 20 && i < 24) || (i >= 39 + 20 && i < 39 + 24);
            if (target) {
                assertThat(after[i]).as("state " + i).isZero();
                assertThat(before[i]).as("state " + i + " was set by training").isNotZero();
            } else {
                assertThat(after[i]).as("state " + i).isEqualTo(before[i]);
            }
        }
    }

    @Test
    void aNetworkWithoutUpdaterHasNothingToReset() {
        assertThat(OptimizerState.reset(null, Map.of("hidden", Set.of("W")))).isZero();
    }
}
