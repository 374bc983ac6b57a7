package org.peft4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Peft.apply on networks it must refuse: shared layer names, no init(), adapters too large to allocate. */
class PeftApplyBadInputTest {

    private static PeftConfig wide(long columns, String... targets) {
        return PeftConfig.builder().method("wide").config(new WideTestMethod.Width(columns))
                .targets(LayerSelector.names(targets)).build();
    }

    @Test
    void layersSharingANameAreRefusedNamingTheNameAndPositionsWhetherTargetedOrNot() {
        MultiLayerNetwork net = TestNets.mlp("hidden", "hidden");
        INDArray before = net.params().dup();
        for (PeftConfig config : new PeftConfig[] {wide(2, "out"), wide(2, "hidden")}) {
            assertThatThrownBy(() -> Peft.apply(net, config, WideTestMethod.registry()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("layers [0, 1] share the name 'hidden'")
                    .hasMessageContaining("unique name")
                    .hasMessageNotContaining("wide");
        }
        assertThat(net.params()).isEqualTo(before);
    }

    @Test
    void aGraphCannotHaveTwoVerticesWithOneNameSoItNeedsNoSuchCheck() {
        assertThatThrownBy(() -> new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nOut(4).build(), "in")
                .addLayer("hidden", new DenseLayer.Builder().nOut(4).build(), "hidden"))
                .hasMessageContaining("hidden");
    }

    @Test
    void aNetworkWithoutInitIsRefusedTellingTheUserToCallInit() {
        MultiLayerNetwork net = new MultiLayerNetwork(TestNets.mlp().getLayerWiseConfigurations().clone());
        ComputationGraph graph = new ComputationGraph(TestNets.graph().getConfiguration().clone());
        for (Model network : new Model[] {net, graph}) {
            assertThatThrownBy(() -> Peft.apply(network, wide(2, "hidden"), WideTestMethod.registry()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not initialised").hasMessageContaining(".init()");
        }
    }

    @Test
    void anAdapterLargerThanMemoryIsRefusedBeforeAllocationNamingTheLayerAndCount() {
        MultiLayerNetwork net = TestNets.mlp();
        INDArray before = net.params().dup();
        long columns = 1L << 40;
        assertThatThrownBy(() -> Peft.apply(net, wide(columns, "hidden"), WideTestMethod.registry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wide: the adapters would hold " + 5 * columns + " parameters")
                .hasMessageContaining("layer 'hidden'").hasMessageContaining("GB");
        assertThat(net.params()).isEqualTo(before);
    }

    @Test
    void anAdapterWhoseSizeOverflowsIsRefusedNamingTheLayerAndParameter() {
        assertThatThrownBy(() -> Peft.apply(TestNets.mlp(), wide(Long.MAX_VALUE / 2, "hidden", "out"),
                WideTestMethod.registry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'hidden'").hasMessageContaining("parameter 'P' of shape [5, ")
                .hasMessageContaining("more values than a long can count");
    }

    @Test
    void anAdapterThatFitsIsStillApplied() {
        PeftModel<MultiLayerNetwork> model = Peft.apply(TestNets.mlp(), wide(3, "hidden"), WideTestMethod.registry());
        assertThat(model.network().getLayer(0).getParam("P").shape()).containsExactly(5, 3);
    }
}
