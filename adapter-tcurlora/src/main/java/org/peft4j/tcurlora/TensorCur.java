package org.peft4j.tcurlora;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.ops.MatMul;

/**
 * The real circular (t-product) form of tCURLoRA's update, the single source of truth of the method's maths
 * (docs/methods/tcurlora.md). With the frozen factors {@code C_a = W_a[:, I]} [n1, r], {@code R_b = W_b[J, :]}
 * [r, n2] and the trainable core {@code dU [n3, r, r]} (zero at start, {@code dU = U − U0}):
 *
 * <pre>
 *   ΔW_l  = Σ_(a,c) C_a · dU_c · R_((l−a−c) mod n3)
 *         = Cst · Circ(dU) · Circ(R)_l           Circ(dU) [r·n3, r·n3], block (a, m) = dU_((m−a) mod n3)
 *                                                 Circ(R) [r·n3, n2·n3], block (m, l) = R_((l−m) mod n3)
 *   dL/d dU_c = Σ_a H[a, (a+c) mod n3]            H = Cstᵀ · [G_0 … G_(n3−1)] · Circ(R)ᵀ, G_l = dL/dW_l
 * </pre>
 *
 * so every slice's update is two matrix products ({@code Cst·Circ(dU)} is the circular convolution of the C and
 * dU sequences, then the one with R), and the gradient two more and a fold of {@code (r·n3)²} numbers;
 * {@code W' = W − C*U0*R + C*U*R} of the official code is {@code W + ΔW} because the t-product is bilinear.
 */
final class TensorCur {

    private TensorCur() {
    }

    /** {@code Circ(dU)} [r·n3, r·n3], block (a, m) = {@code dU_((m−a) mod n3)}, in the core's data type. */
    static INDArray coreCirculant(INDArray core) {
        int n3 = (int) core.size(0);
        int r = (int) core.size(1);
        double[] u = core.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        int side = r * n3;
        double[] m = new double[side * side];
        for (int a = 0; a < n3; a++) {
            for (int b = 0; b < n3; b++) {
                int c = Math.floorMod(b - a, n3);
                for (int i = 0; i < r; i++) {
                    System.arraycopy(u, (c * r + i) * r, m, (a * r + i) * side + b * r, r);
                }
            }
        }
        return Nd4j.create(m, new long[] {side, side}, DataType.DOUBLE).castTo(core.dataType());
    }

    /** Every slice's update side by side, {@code [ΔW_0 … ΔW_(n3−1)]} [n1, n2·n3], in the core's data type. */
    static INDArray delta(CurFactors factors, INDArray core) {
        DataType type = core.dataType();
        return MatMul.product(MatMul.product(factors.cst(type), coreCirculant(core)), factors.shifted(type));
    }

    /** {@code ΔW_l} [n1, n2] in the data type of {@code core}. */
    static INDArray sliceDelta(CurFactors factors, INDArray core, int l) {
        DataType type = core.dataType();
        return MatMul.product(MatMul.product(factors.cst(type), coreCirculant(core)), factors.shifted(type, l));
    }

    /**
     * The core gradient for the gradients of every slice, {@code gradients = [G_0 … G_(n3−1)]} [n1, n2·n3]: a new
     * array [n3, r, r] in double.
     */
    static INDArray gradient(CurFactors factors, INDArray gradients) {
        DataType type = gradients.dataType();
        return fold(MatMul.timesTransposed(MatMul.transposedTimes(factors.cst(type), gradients), factors.shifted(type)),
                factors.slices(), factors.rank());
    }

    /** The core gradient for slice l's gradient {@code G_l} [n1, n2] alone: a new array [n3, r, r] in double. */
    static INDArray sliceGradient(CurFactors factors, INDArray g, int l) {
        DataType type = g.dataType();
        return fold(MatMul.timesTransposed(MatMul.transposedTimes(factors.cst(type), g), factors.shifted(type, l)),
                factors.slices(), factors.rank());
    }

    /** {@code grad[c] = Σ_a H[a, (a+c) mod n3]} over the r x r blocks of {@code h} [r·n3, r·n3]. */
    private static INDArray fold(INDArray h, int n3, int r) {
        double[] values = h.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        int side = r * n3;
        double[] grad = new double[n3 * r * r];
        for (int a = 0; a < n3; a++) {
            for (int c = 0; c < n3; c++) {
                int m = (a + c) % n3;
                for (int i = 0; i < r; i++) {
                    for (int j = 0; j < r; j++) {
                        grad[(c * r + i) * r + j] += values[(a * r + i) * side + m * r + j];
                    }
                }
            }
        }
        return Nd4j.create(grad, new long[] {n3, r, r}, DataType.DOUBLE);
    }
}
