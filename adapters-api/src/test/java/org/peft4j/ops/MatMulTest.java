package org.peft4j.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link MatMul} against products summed term by term on the Java heap, on the operands adapters pass: plain
 * matrices, transposed views, transposes of reshaped views, and views offset into a larger (parameter) vector.
 */
class MatMulTest {

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void productsOfViewsMatchTheSumOfTerms(DataType type) {
        Nd4j.getRandom().setSeed(7);
        INDArray flat = Nd4j.rand(type, 1, 5 + 6 * 12);
        INDArray a = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(5, 5 + 6 * 12)).reshape('c', 12, 6);
        INDArray b = Nd4j.rand(type, 2, 3, 6).reshape('c', 6, 6).transpose();
        INDArray c = Nd4j.rand(type, 12, 4);
        double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;

        assertClose(MatMul.product(a, b), reference(a, b), tolerance);
        assertClose(MatMul.transposedTimes(a, c), reference(a.transpose(), c), tolerance);
        assertClose(MatMul.timesTransposed(b, a), reference(b, a.transpose()), tolerance);
        assertClose(MatMul.product(0.5, c, true, a.transpose(), true), reference(c.transpose(), a).muli(0.5),
                tolerance);
        assertThat(MatMul.product(a, b).ordering()).isEqualTo('c');
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1.0, -2.0})
    void accumulateAddsBetaTimesTheOldValue(double beta) {
        INDArray a = Nd4j.rand(DataType.DOUBLE, 7, 3);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 7, 5);
        INDArray c = Nd4j.rand(DataType.DOUBLE, 3, 5);
        INDArray expected = reference(a.transpose(), b).muli(3).addi(c.mul(beta));

        INDArray result = MatMul.accumulate(3, a, true, b, false, beta, c);

        assertThat(result).isSameAs(c);
        assertClose(c, expected, 1e-12);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void mismatchedSizesNameBothShapes(boolean transpose) {
        INDArray a = Nd4j.rand(DataType.DOUBLE, 4, 3);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 5, 2);

        assertThatThrownBy(() -> MatMul.product(1, a, transpose, b.transpose(), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[4, 3]").hasMessageContaining("differ");
        assertThatThrownBy(() -> MatMul.product(Nd4j.rand(DataType.DOUBLE, 2, 2, 2), a))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 2, 2]");
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void batchedProductsMatchEachProductAlone(DataType type) {
        Nd4j.getRandom().setSeed(11);
        INDArray flat = Nd4j.rand(type, 1, 3 + 4 * 5 * 6);
        INDArray a = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(3, 3 + 4 * 5 * 6)).reshape('c', 4, 5, 6);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 4, 6, 2);
        double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;

        INDArray c = MatMul.batched(a, b);

        assertThat(c.shape()).containsExactly(4, 5, 2);
        assertThat(c.dataType()).isEqualTo(type);
        for (int i = 0; i < 4; i++) {
            assertClose(c.slice(i), reference(a.slice(i), b.slice(i)), tolerance);
        }
        assertThatThrownBy(() -> MatMul.batched(a, Nd4j.rand(type, 4, 5, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[4, 5, 6]")
                .hasMessageContaining("[4, 5, 2]");
    }

    private static INDArray reference(INDArray a, INDArray b) {
        double[][] x = a.toDoubleMatrix();
        double[][] y = b.toDoubleMatrix();
        double[][] out = new double[x.length][y[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y[0].length; j++) {
                double sum = 0;
                for (int k = 0; k < y.length; k++) {
                    sum += x[i][k] * y[k][j];
                }
                out[i][j] = sum;
            }
        }
        return Nd4j.create(out);
    }

    private static void assertClose(INDArray actual, INDArray expected, double tolerance) {
        double[][] x = actual.toDoubleMatrix();
        double[][] y = expected.toDoubleMatrix();
        assertThat(x.length).isEqualTo(y.length);
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y[i].length; j++) {
                assertThat(x[i][j]).as("[%d, %d]", i, j).isCloseTo(y[i][j],
                        within(tolerance * Math.max(1, Math.abs(y[i][j]))));
            }
        }
    }
}
