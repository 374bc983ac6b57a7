package org.peft4j.clora;

import static org.assertj.core.api.Assertions.assertThat;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** SADE against a direct O(d³) evaluation that forms every M_a = D_a·Q_a·U_a, and its gradient against central differences of it. */
class SadeTest {

    private static final int P = 3;
    private static final int R = 2;
    private static final int IN = 5;
    private static final int OUT = 4;
    private static final double WEIGHT = 0.7;

    /** weight·Σ_(a<b) ||M_aᵀM_b||²_F / (||M_aᵀM_a||_F·||M_bᵀM_b||_F + ε), by plain loops over the formed M's. */
    static double direct(double[][] d, double[][][] q, double[][] u, double weight) {
        int p = q.length;
        int r = q[0].length;
        int in = d.length;
        int out = u[0].length;
        double[][][] m = new double[p][in][out];
        for (int a = 0; a < p; a++) {
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    double sum = 0;
                    for (int k = 0; k < r; k++) {
                        for (int l = 0; l < r; l++) {
                            sum += d[i][a * r + k] * q[a][k][l] * u[a * r + l][o];
                        }
                    }
                    m[a][i][o] = sum;
                }
            }
        }
        double[][] n = new double[p][p];
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                for (int o1 = 0; o1 < out; o1++) {
                    for (int o2 = 0; o2 < out; o2++) {
                        double cross = 0;
                        for (int i = 0; i < in; i++) {
                            cross += m[a][i][o1] * m[b][i][o2];
                        }
                        n[a][b] += cross * cross;
                    }
                }
            }
        }
        double value = 0;
        for (int a = 0; a < p; a++) {
            for (int b = a + 1; b < p; b++) {
                value += n[a][b] / (Math.sqrt(n[a][a]) * Math.sqrt(n[b][b]) + Sade.EPSILON);
            }
        }
        return weight * value;
    }

    private static INDArray random(long... shape) {
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    private static double[][][] cube(INDArray q) {
        double[][][] out = new double[(int) q.size(0)][][];
        for (int h = 0; h < out.length; h++) {
            out[h] = q.slice(h).toDoubleMatrix();
        }
        return out;
    }

    /** SADE's value from the heap summaries of Dcat [d_in, p·r], Q [p, r, r] and Ucat [p·r, d_out]. */
    private static double value(INDArray d, INDArray q, INDArray u, double weight) {
        return Sade.value(gram(d), MixingBlocks.blockDiagonal(q), upGrams(u, q), (int) q.size(1), weight);
    }

    private static Sade.Result evaluate(INDArray d, INDArray q, INDArray u, double weight) {
        return Sade.evaluate(gram(d), MixingBlocks.blockDiagonal(q), upGrams(u, q), (int) q.size(1), weight);
    }

    private static DMatrixRMaj gram(INDArray d) {
        return MixingBlocks.heap(d.transpose().mmul(d));
    }

    private static DMatrixRMaj upGrams(INDArray u, INDArray q) {
        DMatrixRMaj heap = MixingBlocks.heap(u);
        return BlockProducts.blockGrams(1, heap, heap, (int) q.size(1));
    }

    private static double direct(INDArray d, INDArray q, INDArray u) {
        return direct(d.toDoubleMatrix(), cube(q), u.toDoubleMatrix(), WEIGHT);
    }

    @Test
    void valueEqualsTheDirectEvaluation() {
        Nd4j.getRandom().setSeed(5);
        for (int trial = 0; trial < 5; trial++) {
            INDArray d = random(IN, P * R);
            INDArray q = random(P, R, R);
            INDArray u = random(P * R, OUT);
            double expected = direct(d, q, u);
            assertThat(expected).isPositive();
            assertThat(value(d, q, u, WEIGHT)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(evaluate(d, q, u, WEIGHT).value()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void similarityLiesBetweenZeroAndOneAndIsOneForEqualMatrices() {
        Nd4j.getRandom().setSeed(6);
        INDArray d = Nd4j.tile(random(IN, R), 1, 2);
        INDArray q = Nd4j.tile(random(1, R, R), 2, 1, 1);
        INDArray u = Nd4j.tile(random(R, OUT), 2, 1);
        assertThat(value(d, q, u, 1.0)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        INDArray dr = random(IN, P * R);
        INDArray qr = random(P, R, R);
        INDArray ur = random(P * R, OUT);
        assertThat(value(dr, qr, ur, 1.0)).isBetween(0.0, P * (P - 1) / 2.0);
    }

    @Test
    void gradientsEqualCentralDifferencesOfTheDirectEvaluation() {
        Nd4j.getRandom().setSeed(7);
        INDArray d = random(IN, P * R);
        INDArray q = random(P, R, R);
        INDArray u = random(P * R, OUT);
        Sade.Result result = evaluate(d, q, u, WEIGHT);
        assertNumeric(d, d.mmul(MixingBlocks.array(result.downFactor(), DataType.DOUBLE)), () -> direct(d, q, u));
        assertNumeric(q, MixingBlocks.diagonalBlocks(result.mix(), R, DataType.DOUBLE), () -> direct(d, q, u));
        assertNumeric(u, MixingBlocks.array(result.upFactor(), DataType.DOUBLE).mmul(u), () -> direct(d, q, u));
    }

    @Test
    void zeroUpPoolGivesZeroValueAndGradient() {
        Nd4j.getRandom().setSeed(8);
        INDArray d = random(IN, P * R);
        INDArray q = random(P, R, R);
        Sade.Result result = evaluate(d, q, Nd4j.zeros(DataType.DOUBLE, P * R, OUT), WEIGHT);
        assertThat(result.value()).isZero();
        assertThat(CommonOps_DDRM.elementMaxAbs(result.downFactor())).isZero();
        assertThat(CommonOps_DDRM.elementMaxAbs(result.mix())).isZero();
        assertThat(CommonOps_DDRM.elementMaxAbs(result.upFactor())).isZero();
    }

    @Test
    void pairWeightAveragesOverModulesAndPairs() {
        assertThat(Sade.pairWeight(new CloraConfig(8, 4, 8, 0.6), 5)).isCloseTo(0.6 / (5 * 6), org.assertj.core.data.Offset.offset(1e-15));
        assertThat(Sade.pairWeight(new CloraConfig(8, 1, 8, 0.6), 5)).isZero();
        assertThat(Sade.pairWeight(new CloraConfig(8, 4, 8, 0), 5)).isZero();
    }

    private static void assertNumeric(INDArray param, INDArray analytic, java.util.function.DoubleSupplier f) {
        double h = 1e-6;
        INDArray flat = param.reshape(param.length());
        INDArray grad = analytic.dup('c').reshape(analytic.length());
        for (long i = 0; i < flat.length(); i++) {
            double original = flat.getDouble(i);
            flat.putScalar(i, original + h);
            double plus = f.getAsDouble();
            flat.putScalar(i, original - h);
            double minus = f.getAsDouble();
            flat.putScalar(i, original);
            double numeric = (plus - minus) / (2 * h);
            assertThat(grad.getDouble(i)).as("entry " + i).isCloseTo(numeric,
                    org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, Math.abs(numeric))));
        }
    }
}
