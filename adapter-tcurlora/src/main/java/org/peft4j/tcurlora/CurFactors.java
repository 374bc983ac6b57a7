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
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The frozen CUR factors of one tensor {@code W [n1, n2, n3]} (tCURLoRA, arXiv 2501.02227, as in the
 * official code): the selected columns I and rows J and the real sub-tensors {@code C = W(:, I, :)} and
 * {@code R = W(J, :, :)}.
 *
 * <p>Selection in the Fourier domain along mode 3 ({@code Ŵ_k = Σ_l W_l·e^(−2πi·kl/n3)}, computed in
 * double, once): column scores {@code s_j = Σ_k ||Ŵ_k[:, j]||₂}, {@code I} = the r best; row scores over
 * the selected columns only, {@code t_i = Σ_k ||Ŵ_k[i, I]||₂}, {@code J} = the r best. Ties go to the
 * lower index; I and J are kept in ascending order. Selecting commutes with the DFT along mode 3, so C
 * and R are real (docs/methods/tcurlora.md, the real-domain form).
 *
 * <p>Stacked forms: {@code Cst = [C_0 … C_(n3−1)]} [n1, r·n3] and {@code Rst = [R_0; …; R_(n3−1)]}
 * [r·n3, n2], kept in double and cast on demand to the training data type.
 */
final class CurFactors {

    private final int[] columns;
    private final int[] rows;
    private final INDArray cst;
    private final INDArray rst;
    private final Map<DataType, INDArray[]> casts = new EnumMap<>(DataType.class);

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

    /** The number of slices n3. */
    int slices() {
        return (int) rst.size(0) / rows.length;
    }

    /** The rank r. */
    int rank() {
        return rows.length;
    }

    /**
     * {@code Circ(R)} [r·n3, n2·n3] in {@code type}, block (m, l) = {@code R_((l−m) mod n3)}: the right factor of every
     * slice's update ({@link TensorCur}); do not modify.
     */
    INDArray shifted(DataType type) {
        return cast(type)[2];
    }

    /** Column block l of {@link #shifted}, [r·n3, n2] (a view; do not modify). */
    INDArray shifted(DataType type, int l) {
        long n2 = rst.size(1);
        return shifted(type).get(NDArrayIndex.all(), NDArrayIndex.interval(l * n2, (l + 1) * n2));
    }

    private synchronized INDArray[] cast(DataType type) {
        return casts.computeIfAbsent(type, t -> {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                return new INDArray[] {cst.castTo(t).dup('c'), rst.castTo(t).dup('c'), circulant(rst, rows.length).castTo(t)};
            }
        });
    }

    /** Block (m, l) = {@code R_((l−m) mod n3)} of the stacked {@code Rst} [r·n3, n2], in double. */
    private static INDArray circulant(INDArray rst, int r) {
        int n3 = (int) rst.size(0) / r;
        long n2 = rst.size(1);
        INDArray out = Nd4j.create(DataType.DOUBLE, (long) r * n3, n2 * n3);
        for (int m = 0; m < n3; m++) {
            for (int l = 0; l < n3; l++) {
                int b = Math.floorMod(l - m, n3);
                out.get(NDArrayIndex.interval((long) m * r, (long) (m + 1) * r), NDArrayIndex.interval(l * n2, (l + 1) * n2))
                        .assign(rst.get(NDArrayIndex.interval((long) b * r, (long) (b + 1) * r), NDArrayIndex.all()));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "CurFactors{I=" + Arrays.toString(columns) + ", J=" + Arrays.toString(rows) + "}";
    }
}
