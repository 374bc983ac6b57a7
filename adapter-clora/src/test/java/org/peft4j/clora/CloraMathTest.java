package org.peft4j.clora;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.layers.AdapterLayer;
import org.peft4j.spi.MergeableLayer;
import org.peft4j.testkit.Nets;

/**
 * CLoRA's forward pass against plain computations of {@code ΔW_j = s·Σ_h D_h·Q_h^j·U_h}, with the bases read
 * from the pool owners: dense by loops, convolutions through DL4J's own ConvolutionLayer with {@code K0 + ΔK}.
 */
class CloraMathTest {

    private static final CloraConfig CONFIG = new CloraConfig(2, 3, 5.0, 0.5);

    /** Random D, U and Q everywhere (U = 0 and Q = I would hide mistakes). */
    static void randomise(MultiLayerNetwork net, long seed) {
        Nd4j.getRandom().setSeed(seed);
        Nets.adapterParams(net).values().forEach(p -> p.assign(Nd4j.randn(p.dataType(), p.shape()).muli(0.5)));
    }

    /** {@code s·Σ_h D_h·Q_h·U_h} [d_in, d_out] by loops; {@code down [d_in][p·r]}, {@code up [p·r][d_out]}. */
    static double[][] delta(double[][] down, double[][][] mix, double[][] up, double scale) {
        int p = mix.length;
        int r = mix[0].length;
        double[][] out = new double[down.length][up[0].length];
        for (int i = 0; i < down.length; i++) {
            for (int o = 0; o < up[0].length; o++) {
                double sum = 0;
                for (int h = 0; h < p; h++) {
                    for (int k = 0; k < r; k++) {
                        for (int l = 0; l < r; l++) {
                            sum += down[i][h * r + k] * mix[h][k][l] * up[h * r + l][o];
                        }
                    }
                }
                out[i][o] = scale * sum;
            }
        }
        return out;
    }

    static double[][][] cube(INDArray q) {
        double[][][] out = new double[(int) q.size(0)][][];
        for (int h = 0; h < out.length; h++) {
            out[h] = q.slice(h).toDoubleMatrix();
        }
        return out;
    }

    @Test
    void denseForwardUsesTheSharedPoolsOfTheirOwners() {
        PeftModel<MultiLayerNetwork> model = Peft.apply(CloraFixtures.mlp(DataType.DOUBLE), PeftConfig.builder()
                .method("clora").config(CONFIG).targets(LayerSelector.byName("d[123]")).build(), CloraFixtures.registry());
        MultiLayerNetwork net = model.network();
        randomise(net, 3);
        INDArray x = CloraFixtures.denseData(DataType.DOUBLE).getFeatures();
        // d2 draws D from its own pool (nIn = 8, owner d2) and U from d1's (nOut = 8, owner d1)
        double[][] dw = delta(net.getLayer(1).getParam("D").toDoubleMatrix(), cube(net.getLayer(1).getParam("Q")),
                net.getLayer(0).getParam("U").toDoubleMatrix(), CONFIG.scale());
        double[][] w = net.getLayer(1).getParam("W").toDoubleMatrix();
        double[] bias = net.getLayer(1).getParam("b").toDoubleVector();
        double[][] in = net.feedForwardToLayer(1, x, false).get(1).toDoubleMatrix();
        double[][] expected = new double[in.length][w[0].length];
        for (int n = 0; n < in.length; n++) {
            for (int o = 0; o < w[0].length; o++) {
                double z = bias[o];
                for (int i = 0; i < w.length; i++) {
                    z += in[n][i] * (w[i][o] + dw[i][o]);
                }
                expected[n][o] = Math.tanh(z);
            }
        }
        INDArray hidden = net.feedForwardToLayer(1, x, false).get(2);
        assertThat(Nets.maxRelativeError(hidden, Nd4j.createFromArray(expected))).isLessThan(1e-12);
        INDArray merged = ((MergeableLayer) net.getLayer(1)).baseDelta().get("W");
        assertThat(Nets.maxRelativeError(merged, Nd4j.createFromArray(dw))).isLessThan(1e-13);
    }

    @Test
    void convolutionForwardEqualsDl4jConvolutionWithTheMergedKernel() {
        PeftModel<MultiLayerNetwork> model = Peft.apply(CloraFixtures.cnn(DataType.DOUBLE), PeftConfig.builder()
                .method("clora").config(CONFIG).targets(LayerSelector.byType(ConvolutionLayer.class)).build(),
                CloraFixtures.registry());
        MultiLayerNetwork net = model.network();
        randomise(net, 4);
        MultiLayerNetwork reference = CloraFixtures.cnn(DataType.DOUBLE);
        INDArray up = net.getLayer(0).getParam("U");
        for (int layer = 0; layer < 3; layer++) {
            INDArray down = net.getLayer(layer == 0 ? 0 : 1).getParam("D");
            long in = down.size(1) * down.size(2) * down.size(3);
            double[][] dw = delta(down.reshape('c', down.size(0), in).transpose().toDoubleMatrix(),
                    cube(net.getLayer(layer).getParam("Q")), up.transpose().toDoubleMatrix(), CONFIG.scale());
            INDArray w = reference.getLayer(layer).getParam("W");
            w.addi(Nd4j.createFromArray(dw).transpose().dup('c').reshape('c', w.shape()));
        }
        INDArray x = CloraFixtures.cnnData(DataType.DOUBLE).getFeatures();
        assertThat(Nets.maxRelativeError(net.output(x), reference.output(x))).isLessThan(1e-12);
        INDArray training = net.feedForward(x, true).get(3);
        assertThat(Nets.maxRelativeError(training, reference.feedForward(x, true).get(3))).isLessThan(1e-12);
    }

    @Test
    void aLayerBelongsToTwoPoolsWithDifferentOwners() {
        PeftModel<MultiLayerNetwork> model = Peft.apply(CloraFixtures.mlp(DataType.FLOAT), PeftConfig.builder()
                .method("clora").config(CONFIG).targets(LayerSelector.byName("d[123]")).build(), CloraFixtures.registry());
        MultiLayerNetwork net = model.network();
        assertThat(net.getLayer(0).paramTable().keySet()).containsExactly("W", "b", "Q", "D", "U");
        assertThat(net.getLayer(1).paramTable().keySet()).containsExactly("W", "b", "Q", "D");
        assertThat(net.getLayer(2).paramTable().keySet()).containsExactly("W", "Q", "U");
        CloraPlacement placement = CloraPlacement.of(((AdapterLayer) net.getLayer(1).conf().getLayer()).getPlan());
        assertThat(placement.down().id()).isEqualTo("clora:down:dense[nIn=8]");
        assertThat(placement.down().members()).containsExactly("d2", "d3");
        assertThat(placement.up().id()).isEqualTo("clora:up:dense[nOut=8]");
        assertThat(placement.up().members()).containsExactly("d1", "d2");
        assertThat(placement.modules()).isEqualTo(3);
    }

    @Test
    void trainableParametersFollowTheFormula() {
        CloraConfig config = CloraConfig.of(3, 2);
        long pr = config.width();
        long mix = (long) config.pool() * config.rank() * config.rank();
        PeftModel<MultiLayerNetwork> dense = Peft.apply(CloraFixtures.mlp(DataType.FLOAT), PeftConfig.builder()
                .method("clora").config(config).targets(LayerSelector.byName("d[123]")).build(), CloraFixtures.registry());
        // down pools nIn 6, 8; up pools nOut 8, 5; 3 modules
        assertThat(dense.parameterReport().trainable()).isEqualTo(pr * (6 + 8) + pr * (8 + 5) + 3 * mix);
        PeftModel<MultiLayerNetwork> conv = Peft.apply(CloraFixtures.cnn(DataType.FLOAT), PeftConfig.builder()
                .method("clora").config(config).targets(LayerSelector.byType(ConvolutionLayer.class)).build(),
                CloraFixtures.registry());
        // down pools (2, 3x3), (4, 3x3); up pool 4; 3 modules
        assertThat(conv.parameterReport().trainable()).isEqualTo(pr * (2 * 9 + 4 * 9) + pr * 4 + 3 * mix);
    }

    @Test
    void mergeResetsThePoolsAndTheMixingMatrices() {
        PeftModel<MultiLayerNetwork> model = Peft.apply(CloraFixtures.mlp(DataType.FLOAT), PeftConfig.builder()
                .method("clora").config(CONFIG).targets(LayerSelector.byName("d[123]")).build(), CloraFixtures.registry());
        MultiLayerNetwork net = model.network();
        Nets.fit(net, CloraFixtures.denseData(DataType.FLOAT), 5);
        INDArray downBefore = net.getLayer(1).getParam("D").dup();
        INDArray wBefore = net.getLayer(2).getParam("W").dup();
        model.mergeInPlace();
        assertThat(net.getLayer(2).getParam("W")).isNotEqualTo(wBefore);
        for (int layer = 0; layer < 3; layer++) {
            INDArray q = net.getLayer(layer).getParam("Q");
            for (int h = 0; h < CONFIG.pool(); h++) {
                assertThat(q.slice(h)).isEqualTo(Nd4j.eye(CONFIG.rank()).castTo(DataType.FLOAT));
            }
        }
        assertThat(net.getLayer(0).getParam("U").amaxNumber().doubleValue()).isZero();
        assertThat(net.getLayer(2).getParam("U").amaxNumber().doubleValue()).isZero();
        INDArray down = net.getLayer(1).getParam("D");
        assertThat(down).isNotEqualTo(downBefore);
        assertThat(Transforms.abs(down).maxNumber().doubleValue()).isLessThanOrEqualTo(1 / Math.sqrt(8));
        for (Map.Entry<String, INDArray> entry : ((MergeableLayer) net.getLayer(2)).baseDelta().entrySet()) {
            assertThat(entry.getValue().amaxNumber().doubleValue()).isZero();
        }
    }
}
