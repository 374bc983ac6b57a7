package org.peft4j.multimethod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.lora.LoraConfig;
import org.peft4j.testkit.MixedNets;

/** Rules and rank/alpha patterns that cannot apply are refused, naming the layer, rule, selector or method. */
class MultiMethodBadInputTest {

    private static PeftModel<MultiLayerNetwork> apply(PeftConfig config) {
        return Peft.apply(MixedNets.mln(DataType.FLOAT), config, MultiMethodFixtures.registry());
    }

    @Test
    void aLayerMatchedByTwoRulesIsRefusedNamingTheLayerAndBothRules() {
        PeftConfig config = MultiMethodFixtures.rules().rule(LayerSelector.byName("fc\\d"), "lora", LoraConfig.of(1, 1))
                .build();
        assertThatThrownBy(() -> apply(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'fc1' is matched by two rules")
                .hasMessageContaining("lora " + MultiMethodFixtures.LORA + " on type in {DenseLayer}")
                .hasMessageContaining("on name ~ /fc\\d/");
    }

    @Test
    void theSingleMethodTargetsAndARuleMayNotOverlapEither() {
        PeftConfig config = PeftConfig.builder().method("lora").targets(LayerSelector.names("fc2"))
                .rule(LayerSelector.byType(DenseLayer.class), "lora").build();
        assertThatThrownBy(() -> apply(config)).hasMessageContaining("layer 'fc2' is matched by two rules");
    }

    @Test
    void aRuleMatchingNoLayerIsRefusedNamingItsSelector() {
        PeftConfig config = MultiMethodFixtures.rules().rule(LayerSelector.byName("block5_conv\\d"), "colora").build();
        assertThatThrownBy(() -> apply(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the target selector name ~ /block5_conv\\d/ matches no layer")
                .hasMessageContaining("conv1 (ConvolutionLayer)");
    }

    @Test
    void aRuleWhoseMethodCannotAdaptAMatchedLayerIsRefused() {
        PeftConfig config = PeftConfig.builder().rule(LayerSelector.byType(ConvolutionLayer.class), "lora").build();
        assertThatThrownBy(() -> apply(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'conv1' (ConvolutionLayer) cannot be adapted by 'lora'");
    }

    @Test
    void aPatternMatchingNoAdaptedLayerIsRefusedNamingIt() {
        assertThatThrownBy(() -> apply(MultiMethodFixtures.rules().rankPattern(LayerSelector.byName("fc9"), 4).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rankPattern name ~ /fc9/ matches no adapted layer")
                .hasMessageContaining("fc1 (DenseLayer)");
        assertThatThrownBy(() -> apply(MultiMethodFixtures.rules().alphaPattern(LayerSelector.names("out"), 2).build()))
                .as("the output layer exists but is not adapted")
                .hasMessageContaining("alphaPattern name in [out] matches no adapted layer");
    }

    @Test
    void aPatternOnALayerWhoseMethodHasNoRankOrAlphaIsRefusedNamingLayerAndMethod() {
        assertThatThrownBy(() -> apply(MultiMethodFixtures.rules().rankPattern(LayerSelector.byName("conv2|fc2"), 4)
                .build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rankPattern name ~ /conv2|fc2/ matches layer 'conv2', adapted by 'colora',"
                        + " which has no rank");
        assertThatThrownBy(() -> apply(MultiMethodFixtures.rules().alphaPattern(LayerSelector.names("conv1"), 4)
                .build())).hasMessageContaining("layer 'conv1', adapted by 'colora', which has no alpha");
    }

    @Test
    void aLayerMatchedByTwoRankPatternsIsRefused() {
        PeftConfig config = MultiMethodFixtures.rules().rankPattern(LayerSelector.byName("fc\\d"), 1)
                .rankPattern(LayerSelector.names("fc2"), 2).build();
        assertThatThrownBy(() -> apply(config)).hasMessageContaining("both match layer 'fc2'");
    }

    @Test
    void aPatternValueTheMethodRefusesNamesTheLayer() {
        PeftConfig config = MultiMethodFixtures.rules().rankPattern(LayerSelector.names("fc2"), 6).build();
        assertThatThrownBy(() -> apply(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'fc2'").hasMessageContaining("rank");
        assertThatThrownBy(() -> PeftConfig.builder().rankPattern(LayerSelector.names("fc2"), 0))
                .hasMessageContaining("rankPattern name in [fc2]: rank must be >= 1, got 0");
    }

    @Test
    void aModelOfSeveralMethodsNamesThemAndHasNoSingleConfig() {
        PeftModel<MultiLayerNetwork> model = apply(MultiMethodFixtures.rules().build());
        assertThat(model.method()).isEqualTo("colora+lora");
        assertThat(model.layerMethods()).containsOnlyKeys("conv1", "conv2", "fc1", "fc2");
        assertThat(model.layerMethods().get("conv2").config()).isEqualTo(MultiMethodFixtures.COLORA);
        assertThatThrownBy(model::config).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("layerMethods()");
        assertThatThrownBy(() -> MultiMethodFixtures.rules().build().method()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 rules");
        assertThat(model.parameterReport().table()).contains("colora(ConvolutionLayer)", "lora(DenseLayer)");
    }
}
