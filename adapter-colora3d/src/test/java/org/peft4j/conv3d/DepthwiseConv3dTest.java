package org.peft4j.conv3d;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.ops.Conv3dGeometry;

/** The depthwise engine against plain loops over every configuration DL4J accepts for a 3D convolution. */
class DepthwiseConv3dTest {

    private static final int BATCH = 2;
    private static final int CHANNELS = 3;

    @Provide
    Arbitrary<Conv3dCase> cases() {
        return Conv3dCase.arbitrary();
    }

    @Property(tries = 80)
    void forwardAndBothGradientsMatchLoops(@ForAll("cases") Conv3dCase c) {
        Convolution3D config = c.builder().nIn(CHANNELS).nOut(CHANNELS).build();
        INDArray x = c.random(1, c.inputShape(BATCH, CHANNELS));
        Conv3dGeometry geometry = Conv3dGeometry.of(config, x);
        INDArray w = c.random(2, geometry.taps(), CHANNELS);
        INDArray dy = c.random(3, c.outputShape(BATCH, CHANNELS));
        double[][][][][] kernel = kernel(w, c);
        Conv3dLoops.Sizes sizes = c.sizes();

        INDArray y = Nd4j.create(DataType.DOUBLE, geometry.channelsLastShape(BATCH, CHANNELS, true));
        DepthwiseConv3d.forward(channelsLast(x, c), w, geometry, y);
        double[][][][][] expected = Conv3dLoops.depthwise(Conv3dLoops.volume(x, c.ncdhw()), kernel, null, sizes);
        assertThat(y.equalsWithEps(Conv3dLoops.array(expected, false), 1e-10)).as("forward").isTrue();

        INDArray dw = Nd4j.create(DataType.DOUBLE, geometry.taps(), CHANNELS).assign(Double.NaN);
        DepthwiseConv3d.weightGradient(channelsLast(x, c), channelsLast(dy, c), geometry, dw);
        double[][][][][] dwLoops = Conv3dLoops.depthwiseWeightGradient(Conv3dLoops.volume(x, c.ncdhw()),
                Conv3dLoops.volume(dy, c.ncdhw()), 1, sizes);
        assertThat(dw.equalsWithEps(taps(dwLoops, geometry), 1e-10)).as("weight gradient").isTrue();

        INDArray dx = DepthwiseConv3d.inputGradient(channelsLast(dy, c), w, geometry);
        double[][][][][] dxLoops = Conv3dLoops.depthwiseInputGradient(Conv3dLoops.volume(dy, c.ncdhw()), kernel, sizes);
        assertThat(dx.equalsWithEps(Conv3dLoops.array(dxLoops, false), 1e-10)).as("input gradient").isTrue();
    }

    @Example
    void kernelOfTheWrongShapeIsRefused() {
        Conv3dCase c = new Conv3dCase(true, org.deeplearning4j.nn.conf.ConvolutionMode.Same, new int[] {3, 3, 3},
                new int[] {1, 1, 1}, new int[] {1, 1, 1}, new int[3], new int[] {4, 4, 4}, 1);
        INDArray x = c.random(1, c.inputShape(1, 2));
        Conv3dGeometry geometry = Conv3dGeometry.of(c.builder().nIn(2).nOut(2).build(), x);
        INDArray y = Nd4j.create(DataType.DOUBLE, geometry.channelsLastShape(1, 2, true));
        assertThatThrownBy(() -> DepthwiseConv3d.forward(channelsLast(x, c), Nd4j.ones(DataType.DOUBLE, 26, 2), geometry, y))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[taps=27, channels=2]");
    }

    /** A permuted view for NCDHW (exercises strided input), the array itself for NDHWC. */
    private static INDArray channelsLast(INDArray a, Conv3dCase c) {
        return c.ncdhw() ? a.permute(0, 2, 3, 4, 1) : a;
    }

    /** w [T, C] as the loops' kernel [C][1][kD][kH][kW]. */
    private static double[][][][][] kernel(INDArray w, Conv3dCase c) {
        int[] k = c.kernel();
        double[][][][][] out = new double[CHANNELS][1][k[0]][k[1]][k[2]];
        for (int ch = 0; ch < CHANNELS; ch++) {
            for (int t = 0; t < w.size(0); t++) {
                out[ch][0][t / (k[1] * k[2])][(t / k[2]) % k[1]][t % k[2]] = w.getDouble(t, ch);
            }
        }
        return out;
    }

    private static INDArray taps(double[][][][][] dw, Conv3dGeometry geometry) {
        INDArray out = Nd4j.create(DataType.DOUBLE, geometry.taps(), CHANNELS);
        for (int ch = 0; ch < CHANNELS; ch++) {
            for (int t = 0; t < geometry.taps(); t++) {
                int[] o = geometry.tap(t);
                out.putScalar(t, ch, dw[ch][0][o[0]][o[1]][o[2]]);
            }
        }
        return out;
    }
}
