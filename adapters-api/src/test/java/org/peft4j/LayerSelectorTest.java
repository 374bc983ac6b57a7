package org.peft4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;

class LayerSelectorTest {

    private final Layer conv = new ConvolutionLayer.Builder(3, 3).nOut(4).build();
    private final Layer dense = new DenseLayer.Builder().nOut(4).build();
    private final Layer output = new OutputLayer.Builder().nOut(4).build();

    @Test
    void byNameMatchesTheWholeName() {
        LayerSelector selector = LayerSelector.byName("block[2-5]_conv\\d");
        assertThat(selector.matches("block2_conv1", conv)).isTrue();
        assertThat(selector.matches("block1_conv1", conv)).isFalse();
        assertThat(selector.matches("block2_conv1x", conv)).isFalse();
        assertThat(selector.describe()).contains("block[2-5]_conv\\d");
    }

    @Test
    void byTypeMatchesInstancesAndCombines() {
        LayerSelector denseLike = LayerSelector.byType(DenseLayer.class, OutputLayer.class);
        assertThat(denseLike.matches("a", dense)).isTrue();
        assertThat(denseLike.matches("a", output)).isTrue();
        assertThat(denseLike.matches("a", conv)).isFalse();
        LayerSelector both = LayerSelector.byName("fc.*").and(LayerSelector.byType(DenseLayer.class));
        assertThat(both.matches("fc1", dense)).isTrue();
        assertThat(both.matches("fc1", output)).isFalse();
        assertThat(both.matches("x", dense)).isFalse();
        LayerSelector either = LayerSelector.names("x").or(LayerSelector.byType(ConvolutionLayer.class));
        assertThat(either.matches("x", dense)).isTrue();
        assertThat(either.matches("y", conv)).isTrue();
        assertThat(either.matches("y", dense)).isFalse();
        assertThat(either.describe()).isEqualTo("(name in [x] or type in {ConvolutionLayer})");
    }
}
