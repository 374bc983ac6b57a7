package org.peft4j.tcurlora;

import java.util.function.IntBinaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The real circular (t-product) form of tCURLoRA's update, the single source of truth of the method's
 * maths (METHODS-NEXT §1, "real-domain reformulation"). With the frozen factors {@code C_a = W_a[:, I]}
 * [n1, r], {@code R_b = W_b[J, :]} [r, n2] and the trainable core {@code dU [n3, r, r]} (zero at start,
 * {@code dU = U − U0}):
 *
 * <pre>
 *   ΔW_l = Σ_(a,c) C_a · dU_c · R_((l−a−c) mod n3)  =  Cst · M_l · Rst,
 *   block (a, b) of M_l [r·n3, r·n3] = dU_((l−a−b) mod n3)
 *   dL/d dU_c = Σ_l Σ_(a+b+c ≡ l) S_l[a, b],   S_l = Cstᵀ · G_l · Rstᵀ  (block (a, b) = C_aᵀ·G_l·R_bᵀ)
 * </pre>
 *
 * where {@code G_l = dL/dW_l}; {@code W' = W − C*U0*R + C*U*R} of the official code is {@code W + ΔW}
 * because the t-product is bilinear.
 */
final class TensorCur {

    private TensorCur() {
    }

    /** {@code M_l} [r·n3, r·n3] of the core {@code dU [n3, r, r]}, in the core's data type. */
    static INDArray circulant(INDArray core, int l) {
        int n3 = (int) core.size(0);
        int r = (int) core.size(1);
        double[] u = core.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        int side = r * n3;
        double[] m = new double[side * side];
        for (int a = 0; a < n3; a++) {
            for (int b = 0; b < n3; b++) {
                int c = Math.floorMod(l - a - b, n3);
                for (int i = 0; i < r; i++) {
                    System.arraycopy(u, (c * r + i) * r, m, (a * r + i) * side + b * r, r);
                }
            }
        }
        return Nd4j.create(m, new long[] {side, side}, DataType.DOUBLE).castTo(core.dataType());
    }

    /** {@code ΔW_l = Cst · M_l · Rst} [n1, n2] in the data type of {@code core}. */
    static INDArray sliceDelta(CurFactors factors, INDArray core, int l) {
        DataType type = core.dataType();
        return factors.cst(type).mmul(circulant(core, l)).mmul(factors.rst(type));
    }

    /**
     * Adds slice l's share of the core gradient, {@code grad[c] += Σ_(a+b+c ≡ l) S_l[a, b]}: the adjoint of
     * {@link #circulant}.
     *
     * @param s    {@code S_l} [r·n3, r·n3]
     * @param grad the core gradient [n3, r, r] flattened in c order, added to
     */
    static void fold(INDArray s, int l, int n3, int r, double[] grad) {
        foldBlocks(s, n3, r, grad, (a, b) -> Math.floorMod(l - a - b, n3));
    }

    /** {@code grad[core(a, b)] += S[a, b]} for every block (a, b) of {@code s}. */
    private static void foldBlocks(INDArray s, int n3, int r, double[] grad, IntBinaryOperator core) {
        double[] values = s.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        int side = r * n3;
        for (int a = 0; a < n3; a++) {
            for (int b = 0; b < n3; b++) {
                int c = core.applyAsInt(a, b);
                for (int i = 0; i < r; i++) {
                    for (int j = 0; j < r; j++) {
                        grad[(c * r + i) * r + j] += values[(a * r + i) * side + b * r + j];
                    }
                }
            }
        }
    }
}
