package org.peft4j.multimethod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.io.AdapterFile;
import org.peft4j.io.SafeTensorsException;
import org.peft4j.lora.LoraConfig;
import org.peft4j.testkit.MixedNets;
import org.peft4j.testkit.Nets;

/**
 * Adapter files of a model with several methods: format 3, recording each layer's method and configuration;
 * a model with one method and configuration still writes format 2; loading checks every layer's method and
 * configuration.
 */
class MultiMethodAdapterFileTest {

    @TempDir
    Path temp;

    private static PeftModel<MultiLayerNetwork> trained(PeftConfig.Builder rules) {
        PeftModel<MultiLayerNetwork> model = Peft.apply(MixedNets.mln(DataType.FLOAT),
                rules.updater(new Adam(1e-2)).build(), MultiMethodFixtures.registry());
        Nets.fit(model.network(), MixedNets.mlnData(DataType.FLOAT), 5);
        return model;
    }

    private static String header(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return new String(Arrays.copyOfRange(bytes, 8, 8 + (int) java.nio.ByteBuffer.wrap(bytes, 0, 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong()), StandardCharsets.UTF_8);
    }

    @Test
    void aMultiMethodAdapterIsFormat3WithEveryLayersMethodAndLoadsOntoAFreshBase() throws IOException {
        PeftModel<MultiLayerNetwork> model = trained(MultiMethodFixtures.rules().rankPattern(LayerSelector.names("fc1"), 3));
        Path file = temp.resolve("mixed.safetensors");
        model.saveAdapter(file);

        assertThat(header(file)).contains("\"format_version\":\"3\"").contains("\"layers\"")
                .doesNotContain("\"method\":\"colora+lora\"");
        AdapterFile adapter = AdapterFile.read(file);
        assertThat(adapter.formatVersion()).isEqualTo(AdapterFile.MULTI_METHOD_VERSION);
        assertThat(adapter.targets()).containsExactly("conv1", "conv2", "fc1", "fc2");
        assertThat(adapter.methods().get("conv2").method()).isEqualTo("colora");
        assertThat(adapter.methods().get("fc1").method()).isEqualTo("lora");
        assertThat(adapter.methods().get("fc1").configJson()).contains("\"rank\":3");
        assertThat(adapter.methods().get("fc2").configJson()).contains("\"rank\":2");
        assertThat(adapter.method()).isEqualTo("colora+lora");
        assertThatThrownBy(adapter::configJson).isInstanceOf(IllegalStateException.class);

        PeftModel<MultiLayerNetwork> loaded = Peft.load(MixedNets.mln(DataType.FLOAT), file, MultiMethodFixtures.registry());
        assertThat(loaded.layerMethods()).isEqualTo(model.layerMethods());
        INDArray x = MixedNets.mlnData(DataType.FLOAT).getFeatures();
        assertThat(Nets.values(loaded.network().output(x))).containsExactly(Nets.values(model.network().output(x)));
    }

    @Test
    void aSingleMethodAdapterIsStillWrittenAsFormat2() throws IOException {
        PeftModel<MultiLayerNetwork> model = trained(PeftConfig.builder()
                .rule(LayerSelector.byType(DenseLayer.class), "lora", MultiMethodFixtures.LORA));
        Path file = temp.resolve("lora.safetensors");
        model.saveAdapter(file);
        assertThat(header(file)).contains("\"format_version\":\"2\"", "\"method\":\"lora\"").doesNotContain("\"layers\"");
        assertThat(AdapterFile.read(file).formatVersion()).isEqualTo(AdapterFile.VERSION);
        assertThat(model.config()).isEqualTo(MultiMethodFixtures.LORA);
    }

    @Test
    void loadingIntoAModelWithAnotherMethodOnALayerIsRefusedNamingTheLayer() throws IOException {
        Path file = temp.resolve("mixed.safetensors");
        trained(MultiMethodFixtures.rules()).saveAdapter(file);
        PeftModel<MultiLayerNetwork> other = Peft.apply(MixedNets.mln(DataType.FLOAT), PeftConfig.builder()
                .rule(LayerSelector.byType(ConvolutionLayer.class), "lora-conv", LoraConfig.of(1, 1))
                .rule(LayerSelector.byType(DenseLayer.class), "lora", MultiMethodFixtures.LORA).build(),
                MultiMethodFixtures.registry());
        assertThatThrownBy(() -> other.loadAdapterWeights(file)).isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("layer 'conv1' is adapted by 'colora' in the adapter file but by 'lora-conv'");
        assertThatThrownBy(() -> other.addAdapter("mixed", file)).hasMessageContaining("layer 'conv1'");
    }

    @Test
    void loadingIntoAModelWithAnotherConfigurationOnALayerIsRefusedNamingLayerAndField() throws IOException {
        Path file = temp.resolve("mixed.safetensors");
        trained(MultiMethodFixtures.rules()).saveAdapter(file);
        PeftModel<MultiLayerNetwork> other = Peft.apply(MixedNets.mln(DataType.FLOAT), MultiMethodFixtures.rules()
                .alphaPattern(LayerSelector.names("fc2"), 8).build(), MultiMethodFixtures.registry());
        assertThatThrownBy(() -> other.loadAdapterWeights(file)).isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining("another 'lora' configuration on layer 'fc2'")
                .hasMessageContaining("alpha is 4.0 in the file but 8.0 in this model");
    }
}
