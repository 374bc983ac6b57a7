package org.peft4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link SeparableKernel}'s product and chain rule against sums formed term by term on the Java heap, for 1D, 2D and
 * 3D kernels, with the factors as views offset into one parameter vector (as an adapted layer holds them) and a
 * gradient of another data type than the factors.
 */
class SeparableKernelTest {

    @ParameterizedTest
    @CsvSource({"DOUBLE, 3", "FLOAT, 3", "FLOAT, 9", "DOUBLE, 27"})
    void productAndGradientsMatchTheirSums(DataType type, int taps) {
        int out = 5;
        int in = 4;
        Nd4j.getRandom().setSeed(taps);
        INDArray params = Nd4j.rand(DataType.DOUBLE, 1, 2 + out * in + out * taps).castTo(type);
        INDArray pointwise = params.get(NDArrayIndex.point(0), NDArrayIndex.interval(2, 2 + out * in)).reshape('c', out, in);
        INDArray depthwise = params.get(NDArrayIndex.point(0), NDArrayIndex.interval(2 + out * in, 2 + out * in + out * taps))
                .reshape('c', out, taps);
        INDArray g = Nd4j.rand(DataType.DOUBLE, out, in, taps).castTo(type);
        double[][] kp = pointwise.toDoubleMatrix();
        double[][] kd = depthwise.toDoubleMatrix();
        double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;

        INDArray delta = SeparableKernel.product(pointwise, depthwise, new long[] {out, in, taps});
        INDArray dKp = SeparableKernel.pointwiseGradient(g, depthwise);
        INDArray dKd = SeparableKernel.depthwiseGradient(g, pointwise, new long[] {out, taps});

        assertThat(dKp.shape()).containsExactly(out, in);
        assertThat(dKd.shape()).containsExactly(out, taps);
        for (int o = 0; o < out; o++) {
            for (int t = 0; t < taps; t++) {
                double expectedDkd = 0;
                for (int c = 0; c < in; c++) {
                    assertThat(delta.getDouble(o, c, t)).isCloseTo(kd[o][t] * kp[o][c], within(tolerance));
                    expectedDkd += g.getDouble(o, c, t) * kp[o][c];
                }
                assertThat(dKd.getDouble(o, t)).as("dKd[%d, %d]", o, t).isCloseTo(expectedDkd, within(tolerance * in));
            }
            for (int c = 0; c < in; c++) {
                double expectedDkp = 0;
                for (int t = 0; t < taps; t++) {
                    expectedDkp += g.getDouble(o, c, t) * kd[o][t];
                }
                assertThat(dKp.getDouble(o, c)).as("dKp[%d, %d]", o, c).isCloseTo(expectedDkp, within(tolerance * taps));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"FLOAT", "DOUBLE"})
    void gradientsTakeTheGradientsDataType(DataType gradientType) {
        INDArray pointwise = Nd4j.rand(DataType.FLOAT, 3, 2);
        INDArray depthwise = Nd4j.rand(DataType.FLOAT, 3, 9);
        INDArray g = Nd4j.rand(gradientType, 3, 2, 3, 3);

        assertThat(SeparableKernel.pointwiseGradient(g, depthwise).dataType()).isEqualTo(gradientType);
        assertThat(SeparableKernel.depthwiseGradient(g, pointwise, new long[] {3, 3, 3}).dataType()).isEqualTo(gradientType);
    }
}
