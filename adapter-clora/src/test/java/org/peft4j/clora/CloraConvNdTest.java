package org.peft4j.clora;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.layers.AdapterLayer;
import org.peft4j.testkit.Nets;

/**
 * CLoRA on 1D and 3D convolutions: forward passes against DL4J's own Convolution1DLayer and Convolution3D with
 * {@code K0 + ΔK} written into {@code W} by the test ({@code ΔW} by the loops of {@link CloraMathTest#delta}), the
 * NDHWC gradient check with SADE on, pool ids per layer kind and the trainable-parameter formula.
 */
class CloraConvNdTest {

    private static final CloraConfig CONFIG = new CloraConfig(2, 2, 3.0, 0.5);

    /** In both fixtures layer 0 owns its pools, layer 1 its down pool (up from 0), layer 2 its up pool (down from 1). */
    private static final int[][] OWNERS = {{0, 0}, {1, 0}, {1, 2}};

    private static MultiLayerNetwork adapted(MultiLayerNetwork base, String targets, CloraConfig config) {
        return Peft.apply(base, PeftConfig.builder().method("clora").config(config).targets(LayerSelector.byName(targets))
                .updater(new NoOp()).build(), CloraFixtures.registry()).network();
    }

    /** {@code ΔW [C_in·taps, C_out]} of layer {@code j} from its pools' owners, by loops. */
    private static double[][] delta(MultiLayerNetwork net, int j) {
        INDArray down = net.getLayer(OWNERS[j][0]).getParam("D");
        INDArray up = net.getLayer(OWNERS[j][1]).getParam("U");
        return CloraMathTest.delta(down.reshape('c', down.size(0), down.length() / down.size(0)).transpose().toDoubleMatrix(),
                CloraMathTest.cube(net.getLayer(j).getParam("Q")), up.transpose().toDoubleMatrix(), CONFIG.scale());
    }

    @Test
    void conv1dForwardEqualsDl4jWithTheMergedKernelInItsWeightLayout() {
        MultiLayerNetwork net = adapted(CloraFixtures.conv1d(DataType.DOUBLE), "k[123]", CONFIG);
        CloraMathTest.randomise(net, 21);
        MultiLayerNetwork reference = CloraFixtures.conv1d(DataType.DOUBLE);
        for (int j = 0; j < 3; j++) {
            double[][] dw = delta(net, j);
            INDArray w = reference.getLayer(j).getParam("W");
            long out = w.size(0);
            long in = w.size(1);
            long k = w.size(2);
            // DL4J reads W [C_out, C_in, k, 1] as a c-order [k, C_in, C_out] buffer: K[o, c, t] at (t·C_in + c)·C_out + o
            INDArray buffer = w.reshape('c', new long[] {w.length()});
            for (int o = 0; o < out; o++) {
                for (int c = 0; c < in; c++) {
                    for (int t = 0; t < k; t++) {
                        long at = (t * in + c) * out + o;
                        buffer.putScalar(at, buffer.getDouble(at) + dw[(int) (c * k + t)][o]);
                    }
                }
            }
        }
        INDArray x = CloraFixtures.conv1dData(DataType.DOUBLE).getFeatures();
        assertThat(Nets.maxRelativeError(net.output(x), reference.output(x))).isLessThan(1e-12);
        assertThat(Nets.maxRelativeError(net.feedForward(x, true).get(3), reference.feedForward(x, true).get(3)))
                .isLessThan(1e-12);
    }

    @ParameterizedTest
    @EnumSource(Convolution3D.DataFormat.class)
    void conv3dForwardEqualsDl4jWithTheMergedKernel(Convolution3D.DataFormat format) {
        MultiLayerNetwork net = adapted(CloraFixtures.conv3d(DataType.DOUBLE, format), "v[123]", CONFIG);
        CloraMathTest.randomise(net, 22);
        MultiLayerNetwork reference = CloraFixtures.conv3d(DataType.DOUBLE, format);
        for (int j = 0; j < 3; j++) {
            INDArray w = reference.getLayer(j).getParam("W");
            w.addi(Nd4j.createFromArray(delta(net, j)).transpose().dup('c').reshape('c', w.shape()));
        }
        INDArray x = CloraFixtures.conv3dData(DataType.DOUBLE, format).getFeatures();
        assertThat(Nets.maxRelativeError(net.output(x), reference.output(x))).isLessThan(1e-12);
        assertThat(Nets.maxRelativeError(net.feedForward(x, true).get(3), reference.feedForward(x, true).get(3)))
                .isLessThan(1e-12);
    }

    @Test
    void channelsLast3dPassesTheGradientCheckWithSade() {
        MultiLayerNetwork net = adapted(CloraFixtures.conv3d(DataType.DOUBLE, Convolution3D.DataFormat.NDHWC), "v[123]",
                CONFIG);
        CloraMathTest.randomise(net, 23);
        double sade = 0;
        for (int j = 0; j < 3; j++) {
            sade += net.getLayer(j).calcRegularizationScore(true);
        }
        assertThat(sade).as("SADE (and L1/L2) in the score").isGreaterThan(1e-3);
        assertThat(CloraFixtures.passesGradientCheck(net,
                CloraFixtures.conv3dData(DataType.DOUBLE, Convolution3D.DataFormat.NDHWC))).isTrue();
    }

    @Test
    void poolIdsNameTheLayerKindSoKernelsOfOtherDimensionsNeverShare() {
        Convolution1DLayer conv1d = new Convolution1DLayer.Builder(3).nIn(4).nOut(5).build();
        ConvolutionLayer conv2d = new ConvolutionLayer.Builder(3, 1).nIn(4).nOut(5).build();
        Convolution3D conv3d = new Convolution3D.Builder(3, 1, 1).nIn(4).nOut(5).build();
        assertThat(CloraMethod.downKey(conv1d)).isEqualTo("clora:down:conv1d[C_in=4,k=3]");
        assertThat(CloraMethod.downKey(conv2d)).isEqualTo("clora:down:conv2d[C_in=4,k=3x1]");
        assertThat(CloraMethod.downKey(conv3d)).isEqualTo("clora:down:conv3d[C_in=4,k=3x1x1]");
        assertThat(CloraMethod.upKey(conv1d)).isEqualTo("clora:up:conv1d[C_out=5]");
        assertThat(CloraMethod.upKey(conv2d)).isEqualTo("clora:up:conv2d[C_out=5]");
        assertThat(CloraMethod.upKey(conv3d)).isEqualTo("clora:up:conv3d[C_out=5]");
        MultiLayerNetwork net = adapted(CloraFixtures.conv1d(DataType.FLOAT), "k[123]", CONFIG);
        CloraPlacement placement = CloraPlacement.of(((AdapterLayer) net.getLayer(2).conf().getLayer()).getPlan());
        assertThat(placement.down().id()).isEqualTo("clora:down:conv1d[C_in=4,k=3]");
        assertThat(placement.down().members()).containsExactly("k2", "k3");
        assertThat(placement.up().members()).containsExactly("k3");
        assertThat(net.getLayer(0).getParam("D").shape()).containsExactly(CONFIG.width(), 2, 3);
        assertThat(new CloraMethod().unsupportedReason(new Deconvolution3D.Builder().nIn(2).nOut(2).build())).get()
                .asString().contains("Deconvolution3D");
    }

    @Test
    void trainableParametersFollowTheFormula() {
        long pr = CONFIG.width();
        long mix = (long) CONFIG.pool() * CONFIG.rank() * CONFIG.rank();
        // down pools (2, 3), (4, 3); up pools 4, 3; 3 modules
        assertThat(Peft.apply(CloraFixtures.conv1d(DataType.FLOAT), PeftConfig.builder().method("clora").config(CONFIG)
                .targets(LayerSelector.byName("k[123]")).build(), CloraFixtures.registry()).parameterReport().trainable())
                .isEqualTo(pr * (2 * 3 + 4 * 3) + pr * (4 + 3) + 3 * mix);
        // down pools (2, 2x2x2), (3, 2x2x2); up pools 3, 2; 3 modules
        assertThat(Peft.apply(CloraFixtures.conv3d(DataType.FLOAT, Convolution3D.DataFormat.NCDHW), PeftConfig.builder()
                .method("clora").config(CONFIG).targets(LayerSelector.byName("v[123]")).build(), CloraFixtures.registry())
                .parameterReport().trainable()).isEqualTo(pr * (2 * 8 + 3 * 8) + pr * (3 + 2) + 3 * mix);
    }
}
