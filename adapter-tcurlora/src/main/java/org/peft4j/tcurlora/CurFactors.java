package org.peft4j.tcurlora;

import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The frozen CUR factors of one tensor {@code W [n1, n2, n3]} (tCURLoRA, arXiv 2501.02227, as in the
 * official code): the selected columns I and rows J and the real sub-tensors {@code C = W(:, I, :)} and
 * {@code R = W(J, :, :)}.
 *
 * <p>Selection in the Fourier domain along mode 3 ({@code Ŵ_k = Σ_l W_l·e^(−2πi·kl/n3)}, computed in
 * double, once): column scores {@code s_j = Σ_k ||Ŵ_k[:, j]||₂}, {@code I} = the r best; row scores over
 * the selected columns only, {@code t_i = Σ_k ||Ŵ_k[i, I]||₂}, {@code J} = the r best. Ties go to the
 * lower index; I and J are kept in ascending order. Selecting commutes with the DFT along mode 3, so C
 * and R are real (METHODS-NEXT §1, fact 1).
 *
 * <p>Stacked forms: {@code Cst = [C_0 … C_(n3−1)]} [n1, r·n3] and {@code Rst = [R_0; …; R_(n3−1)]}
 * [r·n3, n2], kept in double and cast on demand to the training data type. In taps mode (slices
 * {@code [C_out, C_in]}, one per kernel tap, n3 = taps) the core gradient also needs the taps kernel
 * ({@link #tapsKernel}), a rearrangement of {@code Rst}.
 */
final class CurFactors {

    private final int[] columns;
    private final int[] rows;
    private final INDArray cst;
    private final INDArray rst;
    private final Map<DataType, INDArray[]> casts = new EnumMap<>(DataType.class);
    private final Map<DataType, INDArray> tapsKernels = new EnumMap<>(DataType.class);

    private CurFactors(int[] columns, int[] rows, INDArray cst, INDArray rst) {
        this.columns = columns;
        this.rows = rows;
        this.cst = cst;
        this.rst = rst;
    }

    /**
     * Selects I and J and builds C and R.
     *
     * @param slices the n3 frontal slices, each [n1, n2] in c order, as doubles
     * @param rank   r, at most min(n1, n2)
     */
    static CurFactors select(double[][] slices, int n1, int n2, int rank) {
        int n3 = slices.length;
        if (rank > Math.min(n1, n2)) {
            throw new IllegalArgumentException("rank " + rank + " exceeds min(n1, n2) of slices [" + n1 + ", " + n2 + "]");
        }
        double[][] cos = new double[n3][n3];
        double[][] sin = new double[n3][n3];
        for (int k = 0; k < n3; k++) {
            for (int l = 0; l < n3; l++) {
                double angle = 2 * Math.PI * ((long) k * l % n3) / n3;
                cos[k][l] = Math.cos(angle);
                sin[k][l] = -Math.sin(angle);
            }
        }
        double[] columnScore = new double[n2];
        double[][] re = new double[n3][];
        double[][] im = new double[n3][];
        for (int k = 0; k < n3; k++) {
            re[k] = transform(slices, cos[k], n1 * n2);
            im[k] = transform(slices, sin[k], n1 * n2);
            double[] squares = new double[n2];
            for (int i = 0; i < n1; i++) {
                for (int j = 0; j < n2; j++) {
                    int at = i * n2 + j;
                    squares[j] += re[k][at] * re[k][at] + im[k][at] * im[k][at];
                }
            }
            for (int j = 0; j < n2; j++) {
                columnScore[j] += Math.sqrt(squares[j]);
            }
        }
        int[] columns = top(columnScore, rank);
        double[] rowScore = new double[n1];
        for (int k = 0; k < n3; k++) {
            for (int i = 0; i < n1; i++) {
                double squares = 0;
                for (int j : columns) {
                    int at = i * n2 + j;
                    squares += re[k][at] * re[k][at] + im[k][at] * im[k][at];
                }
                rowScore[i] += Math.sqrt(squares);
            }
        }
        int[] rows = top(rowScore, rank);
        double[] c = new double[n1 * rank * n3];
        double[] r = new double[rank * n3 * n2];
        for (int a = 0; a < n3; a++) {
            for (int i = 0; i < n1; i++) {
                for (int q = 0; q < rank; q++) {
                    c[(i * n3 + a) * rank + q] = slices[a][i * n2 + columns[q]];
                }
            }
            for (int q = 0; q < rank; q++) {
                System.arraycopy(slices[a], rows[q] * n2, r, (a * rank + q) * n2, n2);
            }
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            return new CurFactors(columns, rows, Nd4j.create(c, new long[] {n1, (long) rank * n3}, DataType.DOUBLE),
                    Nd4j.create(r, new long[] {(long) rank * n3, n2}, DataType.DOUBLE));
        }
    }

    private static double[] transform(double[][] slices, double[] weights, int length) {
        double[] out = new double[length];
        for (int l = 0; l < slices.length; l++) {
            double w = weights[l];
            if (w == 0) {
                continue;
            }
            double[] slice = slices[l];
            for (int at = 0; at < length; at++) {
                out[at] += w * slice[at];
            }
        }
        return out;
    }

    /** The indices of the {@code count} largest scores (ties: lower index first), ascending. */
    static int[] top(double[] scores, int count) {
        return IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
                .limit(count).mapToInt(Integer::intValue).sorted().toArray();
    }

    /** Selected columns I, ascending. */
    int[] columns() {
        return columns.clone();
    }

    /** Selected rows J, ascending. */
    int[] rows() {
        return rows.clone();
    }

    /** {@code Cst} [n1, r·n3] in {@code type} (do not modify). */
    INDArray cst(DataType type) {
        return cast(type)[0];
    }

    /** {@code Rst} [r·n3, n2] in {@code type} (do not modify). */
    INDArray rst(DataType type) {
        return cast(type)[1];
    }

    /**
     * Taps mode's contraction kernel {@code Kv [r·n3, n2, n3]} in {@code type} (do not modify): output channel
     * {@code (k, i)} at tap t is row i of {@code R_((t−k) mod n3)}, so a convolution of the layer input x with it
     * gives, per output position, {@code V_k = Σ_b R_b·cols_((k+b) mod n3)(x)}, where {@code cols_t(x) [C_in]} is the
     * input under tap t. The core gradient is then {@code dL/d dU_c = Σ_a C_aᵀ·δ·V_((a+c) mod n3)ᵀ}
     * ({@link TensorCur#foldTaps}) and the per-tap kernel gradient is never formed.
     */
    synchronized INDArray tapsKernel(DataType type) {
        return tapsKernels.computeIfAbsent(type, t -> {
            int n2 = (int) rst.size(1);
            int r = rows.length;
            int n3 = (int) rst.size(0) / r;
            double[] source = rst.data().asDouble();
            double[] kernel = new double[r * n3 * n2 * n3];
            for (int k = 0; k < n3; k++) {
                for (int i = 0; i < r; i++) {
                    for (int tap = 0; tap < n3; tap++) {
                        int from = (Math.floorMod(tap - k, n3) * r + i) * n2;
                        int to = (k * r + i) * n2 * n3 + tap;
                        for (int c = 0; c < n2; c++) {
                            kernel[to + c * n3] = source[from + c];
                        }
                    }
                }
            }
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                return Nd4j.create(kernel, new long[] {(long) r * n3, n2, n3}, DataType.DOUBLE).castTo(t);
            }
        });
    }

    private synchronized INDArray[] cast(DataType type) {
        return casts.computeIfAbsent(type, t -> {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                return new INDArray[] {cst.castTo(t).dup('c'), rst.castTo(t).dup('c')};
            }
        });
    }

    @Override
    public String toString() {
        return "CurFactors{I=" + Arrays.toString(columns) + ", J=" + Arrays.toString(rows) + "}";
    }
}
