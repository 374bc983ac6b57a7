package org.peft4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.TestNets;
import org.peft4j.network.LayerSlot;
import org.peft4j.network.NetworkKind;

class FrozenWithBackpropTest {

    private static <N extends Model> N freeze(N network, String layer, boolean ours) {
        NetworkKind<N> kind = NetworkKind.of(network);
        Layer config = kind.layers(network).stream().filter(s -> s.name().equals(layer)).findFirst().orElseThrow()
                .config().clone();
        Layer frozen = ours ? new FrozenWithBackprop(config) : new FrozenLayerWithBackprop(config);
        frozen.setLayerName(layer);
        Map<String, Map<String, INDArray>> params = new java.util.HashMap<>();
        kind.layers(network).forEach(s -> params.put(s.name(), s.runtime().paramTable()));
        return kind.rebuild(network, Map.of(layer, frozen), (l, k) -> params.get(l).get(k), true);
    }

    private static INDArray params(Model network, String layer) {
        for (LayerSlot slot : NetworkKind.of(network).layers(network)) {
            if (slot.name().equals(layer)) {
                return slot.runtime().params().dup();
            }
        }
        throw new AssertionError(layer);
    }

    @Test
    void dl4jsFrozenWrapperLetsWeightDecayMoveFrozenWeights() {
        MultiLayerNetwork net = freeze(TestNets.mlp(), "hidden", false);
        INDArray before = params(net, "hidden");
        net.fit(TestNets.data());
        assertThat(params(net, "hidden")).as("the DL4J defect this wrapper exists for").isNotEqualTo(before);
    }

    @Test
    void frozenHiddenLayerStaysBitIdenticalAndHoldsNoOptimiserState() {
        MultiLayerNetwork base = TestNets.mlp();
        MultiLayerNetwork net = freeze(base, "hidden", true);
        INDArray before = params(net, "hidden");
        INDArray outBefore = params(net, "out");
        for (int i = 0; i < 5; i++) {
            net.fit(TestNets.data());
        }
        assertThat(params(net, "hidden").data().asDouble()).containsExactly(before.data().asDouble());
        assertThat(params(net, "out")).isNotEqualTo(outBefore);
        assertThat(net.getUpdater().getStateViewArray().length()).as("Adam state for the output layer only")
                .isEqualTo(2 * (4 * 3 + 3));
    }

    @Test
    void frozenOutputLayerStillScoresAndPassesGradients() {
        for (Model network : new Model[] {TestNets.mlp(), TestNets.graph()}) {
            Model net = freeze(network, "out", true);
            INDArray outBefore = params(net, "out");
            INDArray hiddenBefore = params(net, "hidden");
            if (net instanceof MultiLayerNetwork mln) {
                mln.fit(TestNets.data());
                assertThat(mln.score(TestNets.data())).isPositive();
            } else {
                ComputationGraph graph = (ComputationGraph) net;
                graph.fit(TestNets.data());
                assertThat(graph.score(TestNets.data())).isPositive();
            }
            assertThat(params(net, "out").data().asDouble()).containsExactly(outBefore.data().asDouble());
            assertThat(params(net, "hidden")).isNotEqualTo(hiddenBefore);
        }
    }
}
