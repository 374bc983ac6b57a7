package org.peft4j.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.peft4j.AdapterScope;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.io.SafeTensorsException;
import org.peft4j.testkit.Nets;

/**
 * The lifecycle calls refuse what would lose or mix up adapter values, naming the adapter, the file or the
 * state to leave first; a refused call changes nothing.
 */
class LifecycleBadInputTest {

    @TempDir
    Path temp;

    private static PeftConfig lora(int rank) {
        return PeftConfig.builder().method("lora").config(LoraConfig.of(rank, 4))
                .targets(LayerSelector.byType(DenseLayer.class)).updater(new Adam(1e-2)).build();
    }

    private static PeftModel<MultiLayerNetwork> trained(PeftConfig config) {
        return trained(config, LoraFixtures.data(DataType.FLOAT));
    }

    private static PeftModel<MultiLayerNetwork> trained(PeftConfig config, DataSet data) {
        PeftModel<MultiLayerNetwork> model = Peft.apply(LoraFixtures.mlp(DataType.FLOAT), config, LoraFixtures.registry());
        Nets.fit(model.network(), data, 10);
        return model;
    }

    private static double[] output(PeftModel<MultiLayerNetwork> model) {
        return Nets.values(model.network().output(LoraFixtures.data(DataType.FLOAT).getFeatures()));
    }

    @Test
    void callsThatReadOrWriteTheAdapterAreRefusedWhileDisabledOrMerged() {
        PeftModel<MultiLayerNetwork> model = trained(lora(2));
        try (AdapterScope ignored = model.disabledAdapters()) {
            assertThatThrownBy(() -> model.saveAdapter(temp.resolve("a.safetensors")))
                    .hasMessageContaining("saveAdapter").hasMessageContaining("disabled");
            assertThatThrownBy(model::mergeInPlace).hasMessageContaining("disabled");
            assertThatThrownBy(model::mergeAndUnload).hasMessageContaining("disabled");
            assertThatThrownBy(model::merge).hasMessageContaining("disabled");
            assertThatThrownBy(() -> model.network().fit(new ViewIterator(LoraFixtures.data(DataType.FLOAT), 4), 1))
                    .hasMessageContaining("fit refused");
        }
        model.merge();
        assertThatThrownBy(model::unload).hasMessageContaining("merged");
        assertThatThrownBy(model::disableAdapters).hasMessageContaining("merged");
        assertThatThrownBy(model::enableAdapters).hasMessageContaining("merged");
        assertThat(temp.resolve("a.safetensors")).doesNotExist();
    }

    @Test
    void disablingKeepsANewHeadAndEqualsTheUnloadedNetwork() {
        PeftConfig withHead = PeftConfig.builder().method("lora").config(LoraConfig.of(2, 4))
                .targets(LayerSelector.byType(DenseLayer.class)).newOutput(5).updater(new Adam(1e-2)).build();
        INDArray x = LoraFixtures.data(DataType.FLOAT).getFeatures();
        INDArray fiveClasses = Nd4j.zeros(DataType.FLOAT, 12, 5);
        for (int i = 0; i < 12; i++) {
            fiveClasses.putScalar(i, i % 5, 1.0);
        }
        PeftModel<MultiLayerNetwork> model = trained(withHead, new DataSet(x, fiveClasses));
        MultiLayerNetwork unloaded = model.unload();
        assertThat(unloaded.getLayer("out").getParam("W").shape()).containsExactly(7, 5);
        double[] adapted = output(model);
        try (AdapterScope ignored = model.disabledAdapters()) {
            assertThat(output(model)).containsExactly(Nets.values(unloaded.output(x)));
        }
        assertThat(output(model)).containsExactly(adapted).isNotEqualTo(Nets.values(unloaded.output(x)));
    }

    @Test
    void addAdapterRefusesFilesForAnotherModelNamingTheFileAndAddsNothing() throws IOException {
        PeftModel<MultiLayerNetwork> model = trained(lora(2));
        Path otherRank = temp.resolve("rank4.safetensors");
        trained(lora(4)).saveAdapter(otherRank);
        assertThatThrownBy(() -> model.addAdapter("rank4", otherRank)).isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining(otherRank.toString());

        Path merged = temp.resolve("merged.safetensors");
        PeftModel<MultiLayerNetwork> mergedModel = trained(lora(2));
        mergedModel.mergeInPlace();
        mergedModel.saveAdapter(merged);
        assertThatThrownBy(() -> model.addAdapter("merged", merged)).isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining(merged.toString()).hasMessageContaining("dense1");

        Path withHead = temp.resolve("head.safetensors");
        Peft.apply(LoraFixtures.mlp(DataType.FLOAT), PeftConfig.builder().method("lora").config(LoraConfig.of(2, 4))
                .targets(LayerSelector.byType(DenseLayer.class)).trainable(LayerSelector.names(java.util.List.of("out")))
                .build(), LoraFixtures.registry()).saveAdapter(withHead);
        assertThatThrownBy(() -> model.addAdapter("head", withHead)).hasMessageContaining(withHead.toString())
                .hasMessageContaining("'head'");

        assertThatThrownBy(() -> model.addAdapter("default", otherRank)).hasMessageContaining("'default'");
        assertThat(model.adapterNames()).containsExactly("default");
    }

    @Test
    void aSwitchedToAdapterKeepsWhatItLearnsAndBlocksATrainingMerge() throws IOException {
        PeftModel<MultiLayerNetwork> model = trained(lora(2));
        Path file = temp.resolve("second.safetensors");
        trained(lora(2)).saveAdapter(file);
        model.addAdapter("second", file);
        assertThatThrownBy(model::mergeInPlace).hasMessageContaining("'default'").hasMessageContaining("second");

        model.setActiveAdapter("second");
        DataSet data = LoraFixtures.data(DataType.FLOAT);
        Nets.fit(model.network(), data, 3);
        double[] learned = output(model);
        model.setActiveAdapter("default");
        assertThat(output(model)).isNotEqualTo(learned);
        model.setActiveAdapter("second");
        assertThat(output(model)).containsExactly(learned);

        model.deleteAdapter("default");
        assertThat(model.adapterNames()).containsExactly("second");
        assertThatThrownBy(() -> model.deleteAdapter("default")).hasMessageContaining("no adapter named 'default'");
        model.mergeInPlace();
    }
}
