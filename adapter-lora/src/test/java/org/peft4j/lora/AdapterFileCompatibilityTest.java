package org.peft4j.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.AdapterRegistry;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.io.AdapterFile;
import org.peft4j.io.SafeTensorsException;
import org.peft4j.testkit.Nets;

/** Adapter files carry the head and are checked against the base network they are loaded onto. */
class AdapterFileCompatibilityTest {

    @TempDir
    Path temp;

    private Path savedWithNewHead() throws IOException {
        PeftModel<MultiLayerNetwork> model = Peft.apply(LoraFixtures.mlp(DataType.FLOAT), PeftConfig.builder()
                .method("lora").config(LoraConfig.of(2, 2)).targets(LayerSelector.byType(DenseLayer.class))
                .newOutput(4).build(), LoraFixtures.registry());
        DataSet data = new DataSet(LoraFixtures.data(DataType.FLOAT).getFeatures(),
                Nd4j.eye(4).getRows(0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3).castTo(DataType.FLOAT));
        Nets.fit(model.network(), data, 5);
        Path file = temp.resolve("with-head.safetensors");
        model.saveAdapter(file);
        Path expected = temp.resolve("expected.bin");
        Nd4j.saveBinary(model.network().output(data.getFeatures()), expected.toFile());
        return file;
    }

    @Test
    void theNewHeadTravelsWithTheAdapter() throws IOException {
        Path file = savedWithNewHead();
        AdapterFile header = AdapterFile.read(file);
        assertThat(header.method()).isEqualTo("lora");
        assertThat(header.targets()).containsExactly("dense1", "dense2");
        assertThat(header.trainable()).containsExactly("out");
        assertThat(header.outputClasses()).isEqualTo(4);
        assertThat(header.base().get("dense1").shapes().get("W")).containsExactly(6, 8);

        PeftModel<MultiLayerNetwork> loaded = Peft.load(LoraFixtures.mlp(DataType.FLOAT), file, LoraFixtures.registry());
        INDArray expected = Nd4j.readBinary(temp.resolve("expected.bin").toFile());
        INDArray x = LoraFixtures.data(DataType.FLOAT).getFeatures();
        assertThat(Nets.values(loaded.network().output(x))).containsExactly(Nets.values(expected));
    }

    @Test
    void loadingOntoAnotherModelFailsNamingTheLayerAndShapes() throws IOException {
        Path file = savedWithNewHead();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().name("dense1").nOut(9).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().name("dense2").nOut(7).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().name("out").nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(6)).build();
        MultiLayerNetwork other = new MultiLayerNetwork(conf);
        other.init();
        assertThatThrownBy(() -> Peft.load(other, file, LoraFixtures.registry()))
                .isInstanceOf(SafeTensorsException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("made for another model").hasMessageContaining("'dense1'")
                .hasMessageContaining("[6, 8]").hasMessageContaining("[6, 9]");

        MultiLayerConfiguration renamed = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().name("hidden").nOut(8).build())
                .layer(new OutputLayer.Builder().name("out").nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(6)).build();
        MultiLayerNetwork missing = new MultiLayerNetwork(renamed);
        missing.init();
        assertThatThrownBy(() -> Peft.load(missing, file, LoraFixtures.registry()))
                .hasMessageContaining("'dense1', which the base network does not have");
    }

    @Test
    void aMethodThatIsNotInstalledIsNamed() throws IOException {
        Path file = savedWithNewHead();
        assertThatThrownBy(() -> Peft.load(LoraFixtures.mlp(DataType.FLOAT), file, AdapterRegistry.of()))
                .hasMessageContaining("no adapter method named 'lora'");
    }
}
