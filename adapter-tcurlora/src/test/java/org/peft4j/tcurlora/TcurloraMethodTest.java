package org.peft4j.tcurlora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.peft4j.LayerSelector;
import org.peft4j.ParameterReport;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.io.SafeTensorsException;
import org.peft4j.spi.MergeableLayer;
import org.peft4j.testkit.Nets;

/** Tensor formation, parameter counts, errors and adapter-file checks of {@code tcurlora}. */
class TcurloraMethodTest {

    @TempDir
    Path temp;

    private static <N extends Model> PeftModel<N> adapt(N base, String targets, TcurloraConfig config) {
        return Peft.apply(base, PeftConfig.builder().method("tcurlora").config(config).targets(LayerSelector.byName(targets))
                .updater(new Adam(1e-2)).build(), TcurFixtures.registry());
    }

    @Test
    void theCoreHasRSquaredTimesN3ParametersPerTensorHeldByTheFirstMember() {
        PeftModel<ComputationGraph> model = adapt(TcurFixtures.convGraph(DataType.FLOAT), "c[012]",
                new TcurloraConfig(2, TcurloraConfig.Mode.GROUP, TcurloraConfig.Fallback.AUTO));
        ParameterReport report = model.parameterReport();
        // c0 [3, 2, 3x3] alone: taps mode, 9 slices [3, 2] -> 2²·9; c1, c2 [3, 3, 3x3]: one group, n3 = 2 -> 2²·2
        assertThat(report.trainable()).isEqualTo(4 * 9 + 4 * 2);
        assertThat(report.rows()).filteredOn(r -> r.layer().equals("c1")).singleElement()
                .satisfies(r -> assertThat(r.trainable()).isEqualTo(8));
        assertThat(report.rows()).filteredOn(r -> r.layer().equals("c2")).singleElement()
                .satisfies(r -> assertThat(r.trainable()).isZero());

        PeftModel<ComputationGraph> matrix = adapt(TcurFixtures.convGraph(DataType.FLOAT), "c[012]",
                new TcurloraConfig(2, TcurloraConfig.Mode.GROUP, TcurloraConfig.Fallback.MATRIX));
        assertThat(matrix.parameterReport().trainable()).isEqualTo(4 + 4 * 2);
        PeftModel<ComputationGraph> taps = adapt(TcurFixtures.convGraph(DataType.FLOAT), "c[12]",
                new TcurloraConfig(3, TcurloraConfig.Mode.TAPS, TcurloraConfig.Fallback.NONE));
        assertThat(taps.parameterReport().trainable()).isEqualTo(2 * 9 * 9);
    }

    @Test
    void aLayerWithoutAnEqualShapePartnerIsAClearErrorUnlessAFallbackIsSet() {
        assertThatThrownBy(() -> adapt(TcurFixtures.mlp(DataType.FLOAT), "d[012]", TcurloraConfig.of(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'d0'")
                .hasMessageContaining("DenseLayer [4, 6]").hasMessageContaining("no selected partner")
                .hasMessageContaining("fallback");
        assertThatThrownBy(() -> adapt(TcurFixtures.mlp(DataType.FLOAT), "d[012]",
                new TcurloraConfig(2, TcurloraConfig.Mode.GROUP, TcurloraConfig.Fallback.TAPS)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'d0'")
                .hasMessageContaining("more than one tap");
        PeftModel<MultiLayerNetwork> model = adapt(TcurFixtures.mlp(DataType.FLOAT), "d[012]",
                new TcurloraConfig(2, TcurloraConfig.Mode.GROUP, TcurloraConfig.Fallback.MATRIX));
        assertThat(model.parameterReport().trainable()).isEqualTo(4 + 4 * 2);
    }

    @Test
    void aRankAboveTheSliceSizeIsAClearError() {
        assertThatThrownBy(() -> adapt(TcurFixtures.mlp(DataType.FLOAT), "d[12]", TcurloraConfig.of(7)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rank 7")
                .hasMessageContaining("'d1'").hasMessageContaining("2 slices of [6, 6]");
        assertThatThrownBy(() -> adapt(TcurFixtures.convGraph(DataType.FLOAT), "c[12]",
                new TcurloraConfig(4, TcurloraConfig.Mode.TAPS, TcurloraConfig.Fallback.NONE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9 slices of [3, 3] (taps mode)");
    }

    @Test
    void mergingReselectsFromTheMergedWeightsAndZeroesTheCore() {
        PeftModel<MultiLayerNetwork> model = adapt(TcurFixtures.mlp(DataType.DOUBLE), "d[12]", TcurloraConfig.of(2));
        Nets.fit(model.network(), TcurFixtures.mlpData(DataType.DOUBLE), 20);
        model.mergeInPlace();
        MergeableLayer owner = (MergeableLayer) model.network().getLayer(1);
        assertThat(model.network().getLayer(1).getParam("dU").amaxNumber().doubleValue()).isZero();
        PeftModel<MultiLayerNetwork> fresh = adapt(model.mergeAndUnload(), "d[12]", TcurloraConfig.of(2));
        assertThat(owner.adapterState()).isEqualTo(((MergeableLayer) fresh.network().getLayer(1)).adapterState());
    }

    /**
     * The runtimes keep the last kernel update while the core is unchanged: a core changed in place (as an
     * updater or {@code setParams} does) must show in the next output, which then equals the merged network's.
     */
    @Test
    void anInPlaceChangeOfTheCoreShowsInTheNextOutput() {
        PeftModel<ComputationGraph> model = adapt(TcurFixtures.convGraph(DataType.DOUBLE), "c[012]",
                new TcurloraConfig(2, TcurloraConfig.Mode.GROUP, TcurloraConfig.Fallback.AUTO));
        ComputationGraph graph = model.network();
        org.nd4j.linalg.api.ndarray.INDArray x = TcurFixtures.convGraphData(DataType.DOUBLE).getFeatures();
        org.nd4j.linalg.api.ndarray.INDArray base = graph.outputSingle(x).dup();
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(3);
        for (String owner : new String[] {"c0", "c1"}) {
            graph.getLayer(owner).getParam("dU").assign(org.nd4j.linalg.factory.Nd4j.randn(DataType.DOUBLE,
                    graph.getLayer(owner).getParam("dU").shape()).muli(0.3));
        }
        org.nd4j.linalg.api.ndarray.INDArray first = graph.outputSingle(x).dup();
        assertThat(first).isNotEqualTo(base);
        assertThat(graph.outputSingle(x)).isEqualTo(first);
        graph.getLayer("c0").getParam("dU").muli(-2);
        graph.getLayer("c1").getParam("dU").addi(0.1);
        org.nd4j.linalg.api.ndarray.INDArray changed = graph.outputSingle(x).dup();
        assertThat(changed.sub(first).amaxNumber().doubleValue()).isGreaterThan(1e-6);
        org.nd4j.linalg.api.ndarray.INDArray merged = model.mergeAndUnload().outputSingle(x);
        assertThat(changed.sub(merged).amaxNumber().doubleValue()).isLessThan(1e-12);
    }

    @Test
    void anAdapterFileIsRefusedOnABaseWhoseSelectionDiffers() throws IOException {
        PeftModel<MultiLayerNetwork> model = adapt(TcurFixtures.mlp(DataType.FLOAT), "d[12]", TcurloraConfig.of(2));
        Nets.fit(model.network(), TcurFixtures.mlpData(DataType.FLOAT), 5);
        Path file = temp.resolve("tcur.safetensors");
        model.saveAdapter(file);
        MultiLayerNetwork other = TcurFixtures.mlp(DataType.FLOAT);
        other.getLayer(1).getParam("W").muli(org.nd4j.linalg.factory.Nd4j.linspace(DataType.FLOAT, 1, 36, 36).reshape(6, 6));
        assertThatThrownBy(() -> Peft.load(other, file, TcurFixtures.registry()))
                .isInstanceOf(SafeTensorsException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("made for another model").hasMessageContaining("'d1'");
    }
}
