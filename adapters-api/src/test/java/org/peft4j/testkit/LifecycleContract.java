package org.peft4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.peft4j.AdapterScope;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;

/**
 * The adapter lifecycle every method passes (unload, disable, reversible merge, named adapters), each
 * against outputs computed without it: the base network's, or an adapter file loaded alone.
 * {@link AdapterContract} implements it, so every contract test runs it.
 */
public interface LifecycleContract {

    int STEPS = 15;

    /** The method, its config and the network to test on. */
    ContractFixture lifecycleFixture();

    /**
     * The rules of the model under test: by default the fixture's method, config and targets as one rule;
     * a test of several methods in one model overrides it (the fixture's registry must hold them all).
     */
    default PeftConfig.Builder adapterRules() {
        ContractFixture f = lifecycleFixture();
        return PeftConfig.builder().method(f.method()).config(f.config()).targets(f.targets());
    }

    private PeftModel<Model> trained(DataSet data) {
        ContractFixture f = lifecycleFixture();
        PeftModel<Model> model = Peft.apply(f.baseNetwork().apply(DataType.FLOAT),
                adapterRules().updater(new Adam(1e-2)).build(), f.registry());
        Nets.fit(model.network(), data, STEPS);
        return model;
    }

    private DataSet data() {
        return lifecycleFixture().data().apply(DataType.FLOAT);
    }

    private Model base() {
        return lifecycleFixture().baseNetwork().apply(DataType.FLOAT);
    }

    private static double[] output(PeftModel<Model> model, INDArray x) {
        return Nets.values(Nets.output(model.network(), x));
    }

    @Test
    default void unloadGivesTheBaseNetworkBackWithoutMerging() {
        PeftModel<Model> model = trained(data());
        INDArray x = data().getFeatures();
        double[] adapted = output(model, x);
        Model unloaded = model.unload();
        Model base = base();
        assertThat(Nets.values(Nets.output(unloaded, x))).containsExactly(Nets.values(Nets.output(base, x)));
        assertThat(Nets.values(unloaded.params())).containsExactly(Nets.values(base.params()));
        assertThat(Nets.layerTypes(unloaded)).isEqualTo(Nets.layerTypes(base));
        String json = unloaded instanceof MultiLayerNetwork mln ? mln.getLayerWiseConfigurations().toJson()
                : ((ComputationGraph) unloaded).getConfiguration().toJson();
        assertThat(json).doesNotContain("org.peft4j");
        assertThat(output(model, x)).as("unload must not change the model").containsExactly(adapted);
        assertThat(adapted).as("training must move the model away from the base")
                .isNotEqualTo(Nets.values(Nets.output(base, x)));
    }

    @Test
    default void disabledAdaptersComputeTheBaseOutputsAndRefuseToTrain() {
        PeftModel<Model> model = trained(data());
        INDArray x = data().getFeatures();
        double[] adapted = output(model, x);
        double[] base = Nets.values(Nets.output(base(), x));
        double[] params = Nets.values(model.network().params());
        try (AdapterScope ignored = model.disabledAdapters()) {
            assertThat(model.adaptersEnabled()).isFalse();
            assertThat(output(model, x)).containsExactly(base);
            assertThatThrownBy(() -> Nets.fit(model.network(), data(), 1)).hasMessageContaining("disabled");
        }
        assertThat(model.adaptersEnabled()).isTrue();
        assertThat(Nets.values(model.network().params())).containsExactly(params);
        assertThat(output(model, x)).containsExactly(adapted);
        Nets.fit(model.network(), data(), 1);
        assertThat(Nets.values(model.network().params())).as("fit works again").isNotEqualTo(params);
    }

    @Test
    default void unmergeRestoresTheFrozenWeightsBitForBit() {
        PeftModel<Model> model = trained(data());
        INDArray x = data().getFeatures();
        INDArray adapted = Nets.output(model.network(), x);
        Map<String, INDArray> frozen = Nets.snapshot(model.network(), true);
        double[] params = Nets.values(model.network().params());
        model.merge();
        assertThat(model.isMerged()).isTrue();
        assertThat(Nets.maxRelativeError(Nets.output(model.network(), x), adapted)).isLessThanOrEqualTo(1e-5);
        assertThat(Nets.snapshot(model.network(), true)).as("merge writes W0 + ΔW").isNotEqualTo(frozen);
        assertThatThrownBy(() -> Nets.fit(model.network(), data(), 1)).hasMessageContaining("merged");
        assertThatThrownBy(model::merge).hasMessageContaining("merged");
        model.unmerge();
        Map<String, INDArray> after = Nets.snapshot(model.network(), true);
        frozen.forEach((name, value) -> assertThat(Nets.values(after.get(name))).as(name)
                .containsExactly(Nets.values(value)));
        assertThat(Nets.values(model.network().params())).containsExactly(params);
        assertThat(output(model, x)).containsExactly(Nets.values(adapted));
        assertThatThrownBy(model::unmerge).hasMessageContaining("active");
    }

    @Test
    default void namedAdaptersSwitchToTheOutputsOfEachFileLoadedAlone(@TempDir Path temp) throws IOException {
        DataSet first = data();
        DataSet second = new DataSet(first.getFeatures().mul(-0.5), first.getLabels());
        Path firstFile = temp.resolve("first.safetensors");
        Path secondFile = temp.resolve("second.safetensors");
        trained(first).saveAdapter(firstFile);
        trained(second).saveAdapter(secondFile);
        INDArray x = first.getFeatures();
        ContractFixture f = lifecycleFixture();
        double[] firstAlone = output(Peft.load(base(), firstFile, f.registry()), x);
        double[] secondAlone = output(Peft.load(base(), secondFile, f.registry()), x);
        assertThat(firstAlone).isNotEqualTo(secondAlone);

        PeftModel<Model> model = Peft.load(base(), firstFile, f.registry());
        model.addAdapter("second", secondFile);
        assertThat(model.adapterNames()).containsExactly("default", "second");
        assertThat(output(model, x)).containsExactly(firstAlone);
        model.setActiveAdapter("second");
        assertThat(model.activeAdapter()).isEqualTo("second");
        assertThat(output(model, x)).containsExactly(secondAlone);
        assertThatThrownBy(() -> model.deleteAdapter("second")).hasMessageContaining("'second' is the active one");
        model.setActiveAdapter("default");
        assertThat(output(model, x)).containsExactly(firstAlone);
        try (AdapterScope ignored = model.disabledAdapters()) {
            assertThat(output(model, x)).containsExactly(Nets.values(Nets.output(base(), x)));
            assertThatThrownBy(() -> model.setActiveAdapter("second")).hasMessageContaining("disabled");
        }
        model.deleteAdapter("second");
        assertThat(model.adapterNames()).containsExactly("default");
        assertThatThrownBy(() -> model.setActiveAdapter("second")).hasMessageContaining("no adapter named 'second'");
    }
}
