package org.peft4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.testkit.Nets;

/** Why and how the driver's frozen values are written back after each parameter averaging. */
class FrozenParametersTest {

    /** What the averaging of three workers does to a value all three left alone: it does not always give it back. */
    @Test
    void averagingThreeEqualCopiesChangesSomeFrozenValues() {
        INDArray params = AdaptedNets.Method.LORA.multiLayer().network().params();
        INDArray averaged = params.add(params).addi(params).divi(3);
        assertThat(Exact.values(averaged)).isNotEqualTo(Exact.values(params));
    }

    @Test
    void restoreWritesBackExactlyTheFrozenValuesAndNothingElse() {
        MultiLayerNetwork network = AdaptedNets.Method.LORA.multiLayer().network();
        Map<String, List<Double>> frozen = Exact.values(Nets.snapshot(network, true));
        FrozenParameters.Snapshot snapshot = FrozenParameters.of(network).snapshot();

        network.params().addi(network.params()).addi(network.params()).divi(3).addi(0.25);
        Map<String, List<Double>> trainable = Exact.values(Nets.snapshot(network, false));
        snapshot.restore();

        assertThat(Exact.values(Nets.snapshot(network, true))).isEqualTo(frozen);
        assertThat(Exact.values(Nets.snapshot(network, false))).isEqualTo(trainable);
    }

    @Test
    void theFrozenValuesAreThoseOfTheAdaptedLayersAndFrozenWrappers() {
        MultiLayerNetwork network = AdaptedNets.Method.COLORA.multiLayer().network();
        long expected = Nets.snapshot(network, true).values().stream().mapToLong(INDArray::length).sum();
        assertThat(FrozenParameters.of(network).count()).isEqualTo(expected).isPositive();
    }
}
