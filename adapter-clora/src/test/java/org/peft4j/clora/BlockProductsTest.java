package org.peft4j.clora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.RandomMatrices_DDRM;
import org.junit.jupiter.api.Test;

/** Block-by-block products against EJML's full products of the same matrices (p = 3 blocks of r = 4). */
class BlockProductsTest {

    private static final int P = 3;
    private static final int R = 4;
    private static final Random RANDOM = new Random(11);

    private static DMatrixRMaj full() {
        return RandomMatrices_DDRM.rectangle(P * R, P * R, -1, 1, RANDOM);
    }

    private static DMatrixRMaj blockDiagonal() {
        return blockDiagonalPart(full(), R);
    }

    /** {@code full} with every off-diagonal r x r block set to zero, a new matrix (by EJML's block extraction). */
    private static DMatrixRMaj blockDiagonalPart(DMatrixRMaj full, int r) {
        DMatrixRMaj out = new DMatrixRMaj(full.numRows, full.numCols);
        for (int h = 0; h * r < full.numRows; h++) {
            CommonOps_DDRM.extract(full, h * r, (h + 1) * r, h * r, (h + 1) * r, out, h * r, h * r);
        }
        return out;
    }

    private static DMatrixRMaj product(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj c = new DMatrixRMaj(a.numRows, b.numCols);
        CommonOps_DDRM.mult(a, b, c);
        return c;
    }

    private static void assertEqual(DMatrixRMaj actual, DMatrixRMaj expected) {
        assertThat(actual.numRows).isEqualTo(expected.numRows);
        assertThat(actual.numCols).isEqualTo(expected.numCols);
        for (int i = 0; i < expected.numRows; i++) {
            for (int j = 0; j < expected.numCols; j++) {
                assertThat(actual.get(i, j)).as("[%d, %d]", i, j)
                        .isCloseTo(expected.get(i, j), org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    @Test
    void productsWithABlockDiagonalFactorEqualTheFullProducts() {
        DMatrixRMaj x = full();
        DMatrixRMaj diag = blockDiagonal();
        DMatrixRMaj other = blockDiagonal();
        assertEqual(BlockProducts.blockDiagonalTimes(diag, x, R), product(diag, x));
        assertEqual(BlockProducts.timesBlockDiagonal(x, diag, R), product(x, diag));
        assertEqual(BlockProducts.sandwich(diag, x, other, R), product(product(diag, x), other));
        assertEqual(BlockProducts.blockDiagonalProduct(diag, other, R), product(diag, other));
    }

    @Test
    void diagonalBlocksOfAProductKeepOnlyTheDiagonalBlocks() {
        DMatrixRMaj x = full();
        DMatrixRMaj y = full();
        assertEqual(BlockProducts.diagonalBlocksOfProduct(x, y, R), blockDiagonalPart(product(x, y), R));
    }

    @Test
    void offDiagonalBlocksOfABlockDiagonalFactorAreNotRead() {
        DMatrixRMaj x = full();
        DMatrixRMaj diag = blockDiagonal();
        DMatrixRMaj noisy = diag.copy();
        noisy.set(0, R, 123.0);
        noisy.set(2 * R, 0, -7.0);
        assertEqual(BlockProducts.timesBlockDiagonal(x, noisy, R), product(x, diag));
        assertEqual(BlockProducts.blockDiagonalTimes(noisy, x, R), product(diag, x));
    }

    @Test
    void productsWithAStackOfBasesUseOnlyTheirOwnBlock() {
        DMatrixRMaj diag = blockDiagonal();
        DMatrixRMaj x = RandomMatrices_DDRM.rectangle(P * R, 7, -1, 1, RANDOM);
        DMatrixRMaj y = RandomMatrices_DDRM.rectangle(P * R, 7, -1, 1, RANDOM);
        DMatrixRMaj diagT = CommonOps_DDRM.transpose(diag, null);
        DMatrixRMaj expectedRows = product(diag, x);
        CommonOps_DDRM.scale(0.5, expectedRows);
        assertEqual(BlockProducts.blockRows(0.5, diag, false, x, R), expectedRows);
        DMatrixRMaj expectedTransposed = product(diagT, x);
        CommonOps_DDRM.scale(-2, expectedTransposed);
        assertEqual(BlockProducts.blockRows(-2, diag, true, x, R), expectedTransposed);
        DMatrixRMaj grams = new DMatrixRMaj(P * R, P * R);
        CommonOps_DDRM.multTransB(x, y, grams);
        DMatrixRMaj expectedGrams = blockDiagonalPart(grams, R);
        CommonOps_DDRM.scale(3, expectedGrams);
        assertEqual(BlockProducts.blockGrams(3, x, y, R), expectedGrams);
    }

    @Test
    void aMatrixThatIsNotMadeOfWholeBlocksIsRefused() {
        DMatrixRMaj odd = new DMatrixRMaj(P * R + 1, P * R + 1);
        assertThatThrownBy(() -> BlockProducts.sandwich(odd, odd, odd, R))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("r = 4").hasMessageContaining("13 x 13");
    }
}
