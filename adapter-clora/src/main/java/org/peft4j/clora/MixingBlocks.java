package org.peft4j.clora;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The p mixing matrices {@code Q [p, r, r]} of a module as one block-diagonal matrix
 * {@code blockdiag(Q_1, ..., Q_p) [p·r, p·r]}, so that {@code Σ_h D_h·Q_h·U_h = Dcat·blockdiag(Q)·Ucat} with
 * the concatenated bases {@code Dcat = [D_1 ... D_p]} and {@code Ucat = [U_1; ...; U_p]}.
 *
 * <p>Matrices of size {@code [p·r, p·r]} (32 x 32 by default) live on the Java heap as EJML matrices in double:
 * one ND4J op on them costs 30-300 µs of dispatch, more than the arithmetic, and CLoRA needs some forty of them
 * per layer and step ({@link BlockProducts} multiplies them). This class moves matrices between ND4J and the heap.
 */
final class MixingBlocks {

    private MixingBlocks() {
    }

    /** {@code blockdiag(Q_1, ..., Q_p)} [p·r, p·r] on the heap. */
    static DMatrixRMaj blockDiagonal(INDArray q) {
        int p = (int) q.size(0);
        int r = (int) q.size(1);
        double[] values = values(q);
        DMatrixRMaj out = new DMatrixRMaj(p * r, p * r);
        for (int h = 0; h < p; h++) {
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < r; j++) {
                    out.unsafe_set(h * r + i, h * r + j, values[(h * r + i) * r + j]);
                }
            }
        }
        return out;
    }

    /** The diagonal r x r blocks of {@code full} [p·r, p·r] as a new ND4J array {@code [p, r, r]} of {@code type}. */
    static INDArray diagonalBlocks(DMatrixRMaj full, int r, DataType type) {
        int p = full.numRows / r;
        double[] out = new double[p * r * r];
        for (int h = 0; h < p; h++) {
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < r; j++) {
                    out[(h * r + i) * r + j] = full.unsafe_get(h * r + i, h * r + j);
                }
            }
        }
        return array(out, new long[] {p, r, r}, type);
    }

    /** p identity matrices {@code [p, r, r]} written into {@code q}. */
    static void identity(INDArray q) {
        int p = (int) q.size(0);
        int r = (int) q.size(1);
        q.assign(Nd4j.eye(r).castTo(q.dataType()).reshape('c', 1, r, r).repeat(0, p));
    }

    /** A matrix (any ND4J layout, any data type) copied to the heap. */
    static DMatrixRMaj heap(INDArray matrix) {
        return new DMatrixRMaj((int) matrix.rows(), (int) matrix.columns(), true, values(matrix));
    }

    /** A heap matrix as a new ND4J array of {@code type} (converted on the heap: no native op). */
    static INDArray array(DMatrixRMaj matrix, DataType type) {
        return array(Arrays.copyOf(matrix.data, matrix.getNumElements()), new long[] {matrix.numRows, matrix.numCols},
                type);
    }

    /** Values in c order as a new ND4J array of {@code shape} and {@code type}; float and double without a native op. */
    private static INDArray array(double[] values, long[] shape, DataType type) {
        if (type == DataType.FLOAT) {
            float[] floats = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                floats[i] = (float) values[i];
            }
            return Nd4j.create(floats, shape, DataType.FLOAT);
        }
        INDArray doubles = Nd4j.create(values, shape, DataType.DOUBLE);
        return type == DataType.DOUBLE ? doubles : doubles.castTo(type);
    }

    /**
     * The values of {@code x} in c order, in double. A c-ordered array whose buffer starts at its first element
     * is read on the heap (these matrices are small: one native op costs more than reading them); any other
     * layout is copied by ND4J first.
     */
    static double[] values(INDArray x) {
        if (x.ordering() == 'c' && Shape.hasDefaultStridesForShape(x) && x.offset() == x.data().offset()
                && x.data().length() >= x.length()) {
            return x.data().getDoublesAt(0, Math.toIntExact(x.length()));
        }
        return x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }
}
