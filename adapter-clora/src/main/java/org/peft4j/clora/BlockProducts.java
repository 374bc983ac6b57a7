package org.peft4j.clora;

import org.ejml.data.DMatrixRMaj;

/**
 * Products of square {@code [p·r, p·r]} heap matrices made of {@code p x p} blocks of size {@code r x r}, where
 * some factors are block-diagonal ({@code blockdiag(Q)}, {@code K}, {@code S} in {@link Sade}). A product with a
 * block-diagonal factor touches only its diagonal blocks: {@code p²·r³} multiply-adds instead of {@code (p·r)³},
 * p times fewer (4x at the default p = 4), and a product of two block-diagonal matrices {@code p·r³}.
 *
 * <p>The same structure makes products with a stack of p bases ({@code [p·r, n]}, basis h = rows {@code h·r ..}) cost
 * {@code p·r²·n} ({@link #blockRows}, {@link #blockGrams}).
 *
 * <p>"Block-diagonal" is the caller's promise: the off-diagonal blocks of such a factor are not read. Results are
 * new matrices.
 */
final class BlockProducts {

    private BlockProducts() {
    }

    /** {@code diag · x}: block (a, b) is {@code diag_aa·x_ab}; {@code diag} block-diagonal. */
    static DMatrixRMaj blockDiagonalTimes(DMatrixRMaj diag, DMatrixRMaj x, int r) {
        return overBlockPairs(x, r, (out, a, b) -> multiplyAdd(diag, a, a, x, a, b, out, a, b, r));
    }

    /** {@code x · diag}: block (a, b) is {@code x_ab·diag_bb}; {@code diag} block-diagonal. */
    static DMatrixRMaj timesBlockDiagonal(DMatrixRMaj x, DMatrixRMaj diag, int r) {
        return overBlockPairs(x, r, (out, a, b) -> multiplyAdd(x, a, b, diag, b, b, out, a, b, r));
    }

    /** {@code left · x · right} with {@code left} and {@code right} block-diagonal. */
    static DMatrixRMaj sandwich(DMatrixRMaj left, DMatrixRMaj x, DMatrixRMaj right, int r) {
        return timesBlockDiagonal(blockDiagonalTimes(left, x, r), right, r);
    }

    /** {@code a · b} of two block-diagonal matrices: block-diagonal, block (h, h) is {@code a_hh·b_hh}. */
    static DMatrixRMaj blockDiagonalProduct(DMatrixRMaj a, DMatrixRMaj b, int r) {
        return overBlockPairs(a, r, (out, h, g) -> {
            if (h == g) {
                multiplyAdd(a, h, h, b, h, h, out, h, h, r);
            }
        });
    }

    /** The diagonal blocks of {@code x · y} (any two matrices): block (a, a) is {@code Σ_b x_ab·y_ba}, the rest 0. */
    static DMatrixRMaj diagonalBlocksOfProduct(DMatrixRMaj x, DMatrixRMaj y, int r) {
        return overBlockPairs(x, r, (out, a, b) -> multiplyAdd(x, a, b, y, b, a, out, a, a, r));
    }

    /**
     * {@code scale·op(diag)·x} for a stack of bases: {@code x [p·r, n]} (basis h = rows {@code h·r ..}), {@code diag}
     * block-diagonal {@code [p·r, p·r]}; row block h of the result is {@code scale·op(diag_hh)·x_h}, where
     * {@code op} transposes when {@code transpose} is set. {@code p·r²·n} multiply-adds.
     */
    static DMatrixRMaj blockRows(double scale, DMatrixRMaj diag, boolean transpose, DMatrixRMaj x, int r) {
        int p = blocks(diag, r);
        if (x.numRows != diag.numRows) {
            throw new IllegalArgumentException("a stack of " + p + " bases of " + r + " rows needs " + diag.numRows
                    + " rows, got " + x.numRows);
        }
        int n = x.numCols;
        int width = diag.numCols;
        DMatrixRMaj out = new DMatrixRMaj(x.numRows, n);
        for (int row = 0; row < x.numRows; row++) {
            int first = row / r * r;
            int outRow = row * n;
            for (int k = first; k < first + r; k++) {
                double v = scale * (transpose ? diag.data[k * width + row] : diag.data[row * width + k]);
                int xRow = k * n;
                for (int j = 0; j < n; j++) {
                    out.data[outRow + j] += v * x.data[xRow + j];
                }
            }
        }
        return out;
    }

    /**
     * {@code scale·blockdiag(x_h·y_hᵀ)}: the diagonal blocks of {@code scale·x·yᵀ} for two stacks of bases
     * {@code x, y [p·r, n]}, a block-diagonal {@code [p·r, p·r]}. {@code p·r²·n} multiply-adds.
     */
    static DMatrixRMaj blockGrams(double scale, DMatrixRMaj x, DMatrixRMaj y, int r) {
        if (x.numRows != y.numRows || x.numCols != y.numCols || x.numRows % r != 0) {
            throw new IllegalArgumentException("block grams need two stacks of r-row bases (r = " + r
                    + ") of one shape, got " + x.numRows + " x " + x.numCols + " and " + y.numRows + " x " + y.numCols);
        }
        int n = x.numCols;
        int width = x.numRows;
        DMatrixRMaj out = new DMatrixRMaj(width, width);
        for (int i = 0; i < width; i++) {
            int first = i / r * r;
            for (int j = first; j < first + r; j++) {
                double sum = 0;
                for (int c = 0; c < n; c++) {
                    sum += x.data[i * n + c] * y.data[j * n + c];
                }
                out.data[i * width + j] = scale * sum;
            }
        }
        return out;
    }

    /** {@code out_(oi, oj) += x_(xi, xj) · y_(yi, yj)}, each the r x r block at those block coordinates. */
    private static void multiplyAdd(DMatrixRMaj x, int xi, int xj, DMatrixRMaj y, int yi, int yj, DMatrixRMaj out,
            int oi, int oj, int r) {
        int width = out.numCols;
        double[] xs = x.data;
        double[] ys = y.data;
        double[] os = out.data;
        for (int i = 0; i < r; i++) {
            int xRow = (xi * r + i) * width + xj * r;
            int outRow = (oi * r + i) * width + oj * r;
            for (int k = 0; k < r; k++) {
                double v = xs[xRow + k];
                int yRow = (yi * r + k) * width + yj * r;
                for (int j = 0; j < r; j++) {
                    os[outRow + j] += v * ys[yRow + j];
                }
            }
        }
    }

    /** One step of a block product: adds to {@code out} what the pair of block coordinates (a, b) contributes. */
    @FunctionalInterface
    private interface BlockStep {
        void add(DMatrixRMaj out, int a, int b);
    }

    /** A new zero matrix of {@code like}'s shape, {@code step} applied to it for every pair of block coordinates. */
    private static DMatrixRMaj overBlockPairs(DMatrixRMaj like, int r, BlockStep step) {
        DMatrixRMaj out = new DMatrixRMaj(like.numRows, like.numCols);
        int p = blocks(like, r);
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                step.add(out, a, b);
            }
        }
        return out;
    }

    private static int blocks(DMatrixRMaj x, int r) {
        if (x.numRows != x.numCols || x.numRows % r != 0) {
            throw new IllegalArgumentException("block products need a square matrix of r x r blocks (r = " + r
                    + "), got " + x.numRows + " x " + x.numCols);
        }
        return x.numRows / r;
    }
}
