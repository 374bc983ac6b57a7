package org.peft4j.clora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.io.SafeTensorsException;
import org.peft4j.layers.AdapterLayer;
import org.peft4j.testkit.Nets;

/** SADE in the training score, lambda = 0, clear errors, and adapter files of another model. */
class CloraSadeTrainingTest {

    @TempDir
    Path temp;

    private static PeftModel<MultiLayerNetwork> adapted(DataType type, CloraConfig config, String targets) {
        return Peft.apply(CloraFixtures.mlp(type), PeftConfig.builder().method("clora").config(config)
                .targets(LayerSelector.byName(targets)).updater(new NoOp()).build(), CloraFixtures.registry());
    }

    @Test
    void trainingScoreAddsLambdaTimesTheMeanSimilarityOverModulesAndPairs() {
        CloraConfig config = new CloraConfig(2, 3, 4.0, 0.8);
        MultiLayerNetwork with = adapted(DataType.DOUBLE, config, "d[123]").network();
        CloraMathTest.randomise(with, 11);
        MultiLayerNetwork without = adapted(DataType.DOUBLE, config.withLambda(0), "d[123]").network();
        without.setParams(with.params());
        DataSet data = CloraFixtures.denseData(DataType.DOUBLE);

        // module j: its own Q, D from its down pool's owner, U from its up pool's owner (d1 owns both of its pools,
        // d2 owns its down pool and reads d1's up pool, d3 reads d2's down pool and owns its up pool)
        int[][] owners = {{0, 0}, {1, 0}, {1, 2}};
        double pairs = 3;
        double expected = 0;
        for (int j = 0; j < 3; j++) {
            INDArray q = with.getLayer(j).getParam("Q");
            expected += SadeTest.direct(with.getLayer(owners[j][0]).getParam("D").toDoubleMatrix(), CloraMathTest.cube(q),
                    with.getLayer(owners[j][1]).getParam("U").toDoubleMatrix(), config.lambda() / (3 * pairs));
        }
        assertThat(expected).isGreaterThan(0.01);
        assertThat(with.score(data, true) - without.score(data, true)).isCloseTo(expected,
                org.assertj.core.data.Offset.offset(1e-12));
        with.setInput(data.getFeatures());
        with.setLabels(data.getLabels());
        with.computeGradientAndScore();
        assertThat(with.score()).isCloseTo(with.score(data, true), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void lambdaZeroIsPlainSharedBasisTrainingAndPassesTheGradientCheck() {
        MultiLayerNetwork net = adapted(DataType.DOUBLE, new CloraConfig(2, 3, 4.0, 0), "d[123]").network();
        CloraMathTest.randomise(net, 12);
        double regularisation = 0;
        for (int layer = 0; layer < 3; layer++) {
            regularisation += net.getLayer(layer).calcRegularizationScore(true);
        }
        double expected = 0;
        for (int layer = 0; layer < 3; layer++) {
            for (String key : ((AdapterLayer) net.getLayer(layer).conf().getLayer()).adapterKeys()) {
                INDArray p = net.getLayer(layer).getParam(key);
                for (Regularization r : net.getLayer(layer).conf().getLayer().getRegularizationByParam(key)) {
                    expected += r.score(p, 0, 0);
                }
            }
        }
        assertThat(regularisation).as("DL4J's own regularisation of the adapter keys, no SADE")
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(CloraFixtures.passesGradientCheck(net, CloraFixtures.denseData(DataType.DOUBLE))).isTrue();
    }

    @Test
    void badSettingsFailNamingTheValue() {
        assertThatThrownBy(() -> new CloraConfig(8, 0, 8, 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pool size p").hasMessageContaining("0");
        assertThatThrownBy(() -> new CloraConfig(-3, 4, 8, 0.1)).hasMessageContaining("rank r").hasMessageContaining("-3");
        assertThatThrownBy(() -> new CloraConfig(8, 4, 8, -0.5)).hasMessageContaining("lambda").hasMessageContaining("-0.5");
        assertThatThrownBy(() -> new CloraConfig(8, 4, Double.NaN, 0.1)).hasMessageContaining("alpha").hasMessageContaining("NaN");
        CloraMethod method = new CloraMethod();
        assertThat(method.unsupportedReason(new OutputLayer.Builder().nIn(3).nOut(2).build())).get().asString()
                .contains("OutputLayer");
        assertThat(method.unsupportedReason(new SubsamplingLayer.Builder().build())).isPresent();
        assertThat(method.unsupportedReason(new DenseLayer.Builder().nIn(3).nOut(2).hasLayerNorm(true).build())).isPresent();
        assertThat(method.unsupportedReason(new DenseLayer.Builder().nIn(3).nOut(2).build())).isEmpty();
    }

    @Test
    void anAdapterFileWithOtherPoolsIsRefused() throws IOException {
        PeftModel<MultiLayerNetwork> all = adapted(DataType.FLOAT, CloraConfig.of(2, 2), "d[123]");
        Nets.fit(all.network(), CloraFixtures.denseData(DataType.FLOAT), 2);
        Path file = temp.resolve("clora.safetensors");
        all.saveAdapter(file);
        // d2 and d3 alone: d2 now owns the up pool nOut=8 by itself, so its pools differ from the file's
        PeftModel<MultiLayerNetwork> fewer = adapted(DataType.FLOAT, CloraConfig.of(2, 2), "d[23]");
        assertThatThrownBy(() -> fewer.loadAdapterWeights(file)).isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("another model");
        PeftModel<MultiLayerNetwork> otherRank = adapted(DataType.FLOAT, CloraConfig.of(3, 2), "d[123]");
        assertThatThrownBy(() -> otherRank.loadAdapterWeights(file)).isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining("shape");
    }
}
