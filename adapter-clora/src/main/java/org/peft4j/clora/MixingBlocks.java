package org.peft4j.clora;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The p mixing matrices {@code Q [p, r, r]} of a module as one block-diagonal matrix
 * {@code blockdiag(Q_1, ..., Q_p) [p·r, p·r]}, so that {@code Σ_h D_h·Q_h·U_h = Dcat·blockdiag(Q)·Ucat} with
 * the concatenated bases {@code Dcat = [D_1 ... D_p]} and {@code Ucat = [U_1; ...; U_p]}.
 */
final class MixingBlocks {

    private MixingBlocks() {
    }

    /** {@code blockdiag(Q_1, ..., Q_p)} [p·r, p·r], a new array in {@code q}'s data type. */
    static INDArray blockDiagonal(INDArray q) {
        int p = (int) q.size(0);
        int r = (int) q.size(1);
        INDArray out = Nd4j.zeros(q.dataType(), (long) p * r, (long) p * r);
        for (int h = 0; h < p; h++) {
            out.get(block(h, r), block(h, r)).assign(q.slice(h));
        }
        return out;
    }

    /** The diagonal blocks of {@code full} [p·r, p·r] as a new array {@code [p, r, r]}. */
    static INDArray diagonalBlocks(INDArray full, int p, int r) {
        INDArray out = Nd4j.createUninitialized(full.dataType(), new long[] {p, r, r}, 'c');
        for (int h = 0; h < p; h++) {
            out.slice(h).assign(full.get(block(h, r), block(h, r)));
        }
        return out;
    }

    /** {@code full} with every off-diagonal block set to zero, a new array. */
    static INDArray blockDiagonalPart(INDArray full, int p, int r) {
        return blockDiagonal(diagonalBlocks(full, p, r));
    }

    /** p identity matrices {@code [p, r, r]} written into {@code q}. */
    static void identity(INDArray q) {
        q.assign(0);
        for (int h = 0; h < q.size(0); h++) {
            for (int i = 0; i < q.size(1); i++) {
                q.putScalar(new long[] {h, i, i}, 1.0);
            }
        }
    }

    private static INDArrayIndex block(int h, int r) {
        return NDArrayIndex.interval((long) h * r, (long) (h + 1) * r);
    }
}
