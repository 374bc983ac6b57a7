package org.peft4j.ops;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products for the hot paths: {@code alpha·op(a)·op(b)} as one libnd4j {@code matmul} op
 * ({@link Nd4j#gemm}), with the transposes passed to the op as flags rather than as transposed views.
 *
 * <p>Why not {@link INDArray#mmul}: in ND4J 1.0.0-M2.1 {@code mmul}/{@code mmuli} go through ND4J's Java BLAS
 * wrapper, which copies operands to Fortran order and calls BLAS from Java; the libnd4j op is measured 3-15x
 * faster for the shapes adapters use (tall-skinny factors, a 512x512 product, a batch-64 dense layer), on both the
 * generic and the oneDNN natives ({@code docs/performance.md}). Operands may be views (transposed, reshaped,
 * offset into a parameter vector); results are new c-order arrays in the current workspace.
 */
public final class MatMul {

    private MatMul() {
    }

    /** {@code a·b}: {@code [m, k]·[k, n] -> [m, n]}. */
    public static INDArray product(INDArray a, INDArray b) {
        return product(1.0, a, false, b, false);
    }

    /** {@code aᵀ·b}: {@code a [k, m]}, {@code b [k, n]} -> {@code [m, n]}. */
    public static INDArray transposedTimes(INDArray a, INDArray b) {
        return product(1.0, a, true, b, false);
    }

    /** {@code a·bᵀ}: {@code a [m, k]}, {@code b [n, k]} -> {@code [m, n]}. */
    public static INDArray timesTransposed(INDArray a, INDArray b) {
        return product(1.0, a, false, b, true);
    }

    /**
     * {@code alpha·op(a)·op(b)}, where {@code op(x)} is {@code xᵀ} when its flag is set.
     *
     * @return a new c-order array {@code [rows of op(a), columns of op(b)]} in {@code a}'s data type
     */
    public static INDArray product(double alpha, INDArray a, boolean transposeA, INDArray b, boolean transposeB) {
        requireMatrices(a, b);
        long rows = transposeA ? a.columns() : a.rows();
        long columns = transposeB ? b.rows() : b.columns();
        INDArray c = Nd4j.createUninitialized(a.dataType(), new long[] {rows, columns}, 'c');
        return accumulate(alpha, a, transposeA, b, transposeB, 0.0, c);
    }

    /**
     * {@code c = alpha·op(a)·op(b) + beta·c}, in place.
     *
     * @param c a matrix that is not a view (element-wise stride 1), of the product's shape
     * @return {@code c}
     */
    public static INDArray accumulate(double alpha, INDArray a, boolean transposeA, INDArray b, boolean transposeB,
            double beta, INDArray c) {
        requireMatrices(a, b);
        long inner = transposeA ? a.rows() : a.columns();
        long innerB = transposeB ? b.columns() : b.rows();
        if (inner != innerB) {
            throw new IllegalArgumentException("matrix product of " + describe(a, transposeA) + " and "
                    + describe(b, transposeB) + ": inner sizes " + inner + " and " + innerB + " differ");
        }
        return Nd4j.gemm(a, b, c, transposeA, transposeB, alpha, beta);
    }

    /**
     * {@code a[i]·b[i]} for every {@code i}: {@code [B, m, k]·[B, k, n] -> [B, m, n]}, one libnd4j {@code matmul} op.
     * Many small products (a kernel's taps per output channel) run as one op rather than as a broadcast product and a
     * sum: as fast alone on the machine, and without the millisecond stalls the broadcast op showed beside other work.
     *
     * @return a new c-order array {@code [B, m, n]} in {@code a}'s data type
     */
    public static INDArray batched(INDArray a, INDArray b) {
        if (a.rank() != 3 || b.rank() != 3 || a.size(0) != b.size(0) || a.size(2) != b.size(1)) {
            throw new IllegalArgumentException("batched matrix product needs [B, m, k] and [B, k, n], got shapes "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
        INDArray c = Nd4j.createUninitialized(a.dataType(), new long[] {a.size(0), a.size(1), b.size(2)}, 'c');
        Nd4j.exec(DynamicCustomOp.builder("matmul").addInputs(a, b.castTo(a.dataType())).addOutputs(c)
                .addIntegerArguments(0, 0, 0).callInplace(false).build());
        return c;
    }

    private static void requireMatrices(INDArray a, INDArray b) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("matrix product needs two matrices, got shapes "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
    }

    private static String describe(INDArray x, boolean transposed) {
        return (transposed ? "the transpose of " : "") + Arrays.toString(x.shape());
    }
}
