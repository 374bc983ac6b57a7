package org.peft4j.clora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;

/** CLoRA ranks a layer cannot use are refused when adapting, naming the layer, its widths and the rank. */
class CloraRankBadInputTest {

    private static PeftConfig clora(int rank, String targets) {
        return PeftConfig.builder().method("clora").config(CloraConfig.of(rank, 2))
                .targets(LayerSelector.byName(targets)).build();
    }

    @Test
    void aRankAboveMinOfNInAndNOutIsRefusedNamingTheLayer() {
        assertThatThrownBy(() -> Peft.apply(CloraFixtures.mlp(DataType.FLOAT), clora(6, "d[123]"),
                CloraFixtures.registry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clora: rank r = 6 is too large for layer 'd3' (DenseLayer, nIn 8, nOut 5)")
                .hasMessageContaining("rank at most 5");
    }

    @Test
    void aHugeRankIsRefusedBeforeAnythingIsAllocated() {
        assertThatThrownBy(() -> Peft.apply(CloraFixtures.mlp(DataType.FLOAT), clora(1_000_000_000, "d1"),
                CloraFixtures.registry()))
                .hasMessageContaining("rank r = 1000000000 is too large for layer 'd1' (DenseLayer, nIn 6, nOut 8)");
    }

    @Test
    void aConvolutionRankAboveCOutIsRefusedNamingTheKernel() {
        assertThatThrownBy(() -> Peft.apply(CloraFixtures.cnn(DataType.FLOAT), clora(5, "conv1"),
                CloraFixtures.registry()))
                .hasMessageContaining("layer 'conv1' (ConvolutionLayer, C_in ")
                .hasMessageContaining("C_out 4, kernel [3, 3]").hasMessageContaining("rank at most 4");
    }

    @Test
    void theLargestRankThatFitsIsAccepted() {
        assertThat(Peft.apply(CloraFixtures.mlp(DataType.FLOAT), clora(5, "d3"), CloraFixtures.registry())
                .adaptedLayers()).containsExactly("d3");
    }
}
