package org.peft4j.tcurlora;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The circular (real) form of the update against the published FFT form, and the gradient's adjointness. */
class TensorCurTest {

    /** n3 slices [n1·n2] of standard normal values. */
    static double[][] randomSlices(Random random, int n3, int n1, int n2) {
        double[][] slices = new double[n3][n1 * n2];
        for (double[] slice : slices) {
            for (int i = 0; i < slice.length; i++) {
                slice[i] = random.nextGaussian();
            }
        }
        return slices;
    }

    private static INDArray randomCore(Random random, int n3, int r) {
        double[] u = new double[n3 * r * r];
        for (int i = 0; i < u.length; i++) {
            u[i] = random.nextGaussian();
        }
        return Nd4j.create(u, new long[] {n3, r, r}, DataType.DOUBLE);
    }

    @Test
    void circularUpdateEqualsTheFftFormulation() {
        Random random = new Random(5);
        for (int[] dims : new int[][] {{1, 5, 4, 2}, {2, 6, 7, 3}, {5, 8, 6, 4}, {4, 3, 9, 3}}) {
            int n3 = dims[0];
            int n1 = dims[1];
            int n2 = dims[2];
            int r = dims[3];
            double[][] slices = randomSlices(random, n3, n1, n2);
            CurFactors factors = CurFactors.select(slices, n1, n2, r);
            INDArray core = randomCore(random, n3, r);
            int[] cols = factors.columns();
            int[] rows = factors.rows();
            // the published form: FFT along mode 3, slice-wise complex products, inverse FFT, real part
            Complex[][][] c = dft(n3, n1, r, (a, i, q) -> slices[a][i * n2 + cols[q]]);
            Complex[][][] u = dft(n3, r, r, (a, i, j) -> core.getDouble(a, i, j));
            Complex[][][] rr = dft(n3, r, n2, (a, q, j) -> slices[a][rows[q] * n2 + j]);
            for (int l = 0; l < n3; l++) {
                INDArray delta = TensorCur.sliceDelta(factors, core, l);
                for (int i = 0; i < n1; i++) {
                    for (int j = 0; j < n2; j++) {
                        double sum = 0;
                        for (int k = 0; k < n3; k++) {
                            Complex product = Complex.ZERO;
                            for (int p = 0; p < r; p++) {
                                for (int q = 0; q < r; q++) {
                                    product = product.plus(c[k][i][p].times(u[k][p][q]).times(rr[k][q][j]));
                                }
                            }
                            sum += product.times(Complex.unit(2 * Math.PI * k * l / n3)).re();
                        }
                        assertThat(delta.getDouble(i, j)).as("dW_%d[%d,%d], n3=%d", l, i, j, n3)
                                .isCloseTo(sum / n3, org.assertj.core.data.Offset.offset(1e-10));
                    }
                }
            }
        }
    }

    /**
     * The core gradient is the adjoint of the update: for any slice gradients G, {@code Σ_l <ΔW_l(dU), G_l>} equals
     * {@code <dU, gradient(G)>} (the update is linear in dU), for all slices at once (taps mode) and slice by slice
     * (group mode); and all slices at once equal the slices one by one.
     */
    @Test
    void theGradientIsTheAdjointOfTheUpdate() {
        Random random = new Random(6);
        for (int[] dims : new int[][] {{1, 5, 4, 2}, {4, 6, 7, 3}, {9, 4, 3, 2}}) {
            int n3 = dims[0];
            int n1 = dims[1];
            int n2 = dims[2];
            int r = dims[3];
            CurFactors factors = CurFactors.select(randomSlices(random, n3, n1, n2), n1, n2, r);
            INDArray core = randomCore(random, n3, r);
            INDArray g = Nd4j.create(randomSlices(random, 1, n1, n2 * n3)[0], new long[] {n1, (long) n2 * n3},
                    DataType.DOUBLE);
            INDArray all = TensorCur.delta(factors, core);
            double lhs = all.mul(g).sumNumber().doubleValue();
            assertThat(lhs).isCloseTo(core.mul(TensorCur.gradient(factors, g)).sumNumber().doubleValue(),
                    org.assertj.core.data.Offset.offset(1e-9));
            INDArray bySlice = Nd4j.zeros(DataType.DOUBLE, n3, r, r);
            for (int l = 0; l < n3; l++) {
                INDArray gl = g.get(NDArrayIndex.all(), NDArrayIndex.interval((long) l * n2, (long) (l + 1) * n2));
                assertThat(TensorCur.sliceDelta(factors, core, l).equalsWithEps(
                        all.get(NDArrayIndex.all(), NDArrayIndex.interval((long) l * n2, (long) (l + 1) * n2)), 1e-12))
                        .isTrue();
                bySlice.addi(TensorCur.sliceGradient(factors, gl, l));
            }
            assertThat(bySlice.equalsWithEps(TensorCur.gradient(factors, g), 1e-10)).isTrue();
        }
    }

    @Test
    void selectionTakesTheLargestFourierNormsWithTiesToTheLowerIndex() {
        // n3 = 1: the DFT is the identity, so the scores are plain column norms, then row norms over I
        double[][] slice = {{
            1, 3, 0, 3,
            0, 0, 0, 0,
            2, 0, 0, 0,
            5, 4, 1, 4}};
        CurFactors factors = CurFactors.select(slice, 4, 4, 2);
        assertThat(factors.columns()).containsExactly(0, 1); // norms sqrt(30), 5, 1, 5: the tie 1 vs 3 goes to 1
        assertThat(factors.rows()).containsExactly(0, 3);    // over columns {0, 1}: sqrt(10), 0, 2, sqrt(41)
        assertThat(factors.cst(DataType.DOUBLE).toDoubleMatrix()).isEqualTo(new double[][] {{1, 3}, {0, 0}, {2, 0}, {5, 4}});
        assertThat(factors.rst(DataType.DOUBLE).toDoubleMatrix()).isEqualTo(new double[][] {{1, 3, 0, 3}, {5, 4, 1, 4}});
        // two slices [1, 1] and [1, -1] in column 0 and 1: the DFT gives |2|+|0| and |0|+|2| per column
        double[][] pair = {{1, 1}, {1, -1}};
        assertThat(CurFactors.select(pair, 1, 2, 1).columns()).containsExactly(0);
    }

    /** {@code out[k] = Σ_a value(a)·e^(−2πi·ka/n3)} for every entry. */
    private static Complex[][][] dft(int n3, int rows, int cols, Entry value) {
        Complex[][][] out = new Complex[n3][rows][cols];
        for (int k = 0; k < n3; k++) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    Complex sum = Complex.ZERO;
                    for (int a = 0; a < n3; a++) {
                        sum = sum.plus(Complex.unit(-2 * Math.PI * k * a / n3).scale(value.at(a, i, j)));
                    }
                    out[k][i][j] = sum;
                }
            }
        }
        return out;
    }

    private interface Entry {
        double at(int slice, int row, int col);
    }

    private record Complex(double re, double im) {
        static final Complex ZERO = new Complex(0, 0);

        static Complex unit(double angle) {
            return new Complex(Math.cos(angle), Math.sin(angle));
        }

        Complex plus(Complex o) {
            return new Complex(re + o.re, im + o.im);
        }

        Complex times(Complex o) {
            return new Complex(re * o.re - im * o.im, re * o.im + im * o.re);
        }

        Complex scale(double s) {
            return new Complex(re * s, im * s);
        }
    }
}
