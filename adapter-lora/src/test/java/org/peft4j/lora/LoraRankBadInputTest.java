package org.peft4j.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.peft4j.AdapterRegistry;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;

/** LoRA ranks a layer cannot use are refused when adapting, naming the layer, its widths and the rank. */
class LoraRankBadInputTest {

    private static PeftConfig lora(String method, int rank, String... targets) {
        return PeftConfig.builder().method(method).config(LoraConfig.of(rank, 4)).targets(LayerSelector.names(targets))
                .build();
    }

    /** {@code wide (3x3 conv, 1 -> 2 channels) -> narrow (1x1 conv, 2 -> 8 channels) -> out}. */
    private static MultiLayerNetwork cnn() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("wide").nOut(2).build())
                .layer(new ConvolutionLayer.Builder(1, 1).name("narrow").nOut(8).build())
                .layer(new OutputLayer.Builder().name("out").nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(5, 5, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void aDenseRankAboveMinOfNInAndNOutIsRefusedNamingTheLayer() {
        assertThatThrownBy(() -> Peft.apply(LoraFixtures.mlp(DataType.FLOAT), lora("lora", 4, "dense1", "out"),
                LoraFixtures.registry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lora: rank 4 is too large for layer 'out' (OutputLayer, nIn 7, nOut 3)")
                .hasMessageContaining("rank at most 3");
    }

    @Test
    void aHugeRankIsRefusedBeforeAnythingIsAllocated() {
        assertThatThrownBy(() -> Peft.apply(LoraFixtures.mlp(DataType.FLOAT), lora("lora", 1_000_000_000, "dense1"),
                LoraFixtures.registry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rank 1000000000 is too large for layer 'dense1' (DenseLayer, nIn 6, nOut 8)");
    }

    @Test
    void theLargestRankThatFitsIsAccepted() {
        assertThat(Peft.apply(LoraFixtures.mlp(DataType.FLOAT), lora("lora", 3, "out"), LoraFixtures.registry())
                .network().getLayer("out").getParam("B").shape()).containsExactly(3, 3);
    }

    @Test
    void aConvolutionRankAboveMinOfCOutAndFanInIsRefusedNamingTheLayerAndKernel() {
        AdapterRegistry registry = AdapterRegistry.of(new LoraConvMethod());
        assertThatThrownBy(() -> Peft.apply(cnn(), lora("lora-conv", 3, "wide"), registry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lora-conv: rank 3 is too large for layer 'wide' (ConvolutionLayer, C_in 1, C_out 2, "
                        + "kernel [3, 3])").hasMessageContaining("rank at most 2");
        assertThatThrownBy(() -> Peft.apply(cnn(), lora("lora-conv", 3, "narrow"), registry))
                .hasMessageContaining("layer 'narrow' (ConvolutionLayer, C_in 2, C_out 8, kernel [1, 1])")
                .hasMessageContaining("rank at most 2");
    }
}
