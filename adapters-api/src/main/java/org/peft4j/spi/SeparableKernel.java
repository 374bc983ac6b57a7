package org.peft4j.spi;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.ops.MatMul;

/**
 * The kernel of a pointwise convolution followed by a depthwise one (no bias between them, the depthwise step
 * with the layer's kernel size, stride, padding and dilation), and the chain rule through it:
 *
 * <pre>
 *   ΔK[o, c, t] = Kd[o, t]·Kp[o, c]          Kp [C_out, C_in],  Kd [C_out, k...],  t the kernel taps
 *   dKp[o, c]   = Σ_t G[o, c, t]·Kd[o, t]
 *   dKd[o, t]   = Σ_c G[o, c, t]·Kp[o, c]    G = dL/dΔK [C_out, C_in, k...]
 * </pre>
 *
 * CoLoRA's update (Rivera &amp; Hoyos, eq. 10) in 1D, 2D and 3D: {@code Kd ⊛ (Kp ⊛ x) = ΔK ⊛ x}. {@code ΔK} is one
 * broadcast product; each gradient is one batched matrix product over the output channels ({@link MatMul#batched}).
 */
public final class SeparableKernel {

    private SeparableKernel() {
    }

    /** {@code ΔK [C_out, C_in, k...]} (shape {@code shape}), a new array. */
    public static INDArray product(INDArray pointwise, INDArray depthwise, long[] shape) {
        long out = pointwise.size(0);
        long in = pointwise.size(1);
        long taps = depthwise.length() / out;
        INDArray delta = Nd4j.createUninitialized(pointwise.dataType(), new long[] {out, in, taps}, 'c');
        Nd4j.exec(new MulOp(pointwise.reshape('c', out, in, 1), depthwise.reshape('c', out, 1, taps), delta));
        return delta.reshape('c', shape);
    }

    /** {@code dKp [C_out, C_in]}: per output channel {@code G[o] [C_in, taps]·Kd[o] [taps, 1]}, a new array. */
    public static INDArray pointwiseGradient(INDArray g, INDArray depthwise) {
        long out = g.size(0);
        long in = g.size(1);
        long taps = g.length() / (out * in);
        return MatMul.batched(g.reshape('c', out, in, taps), depthwise.reshape('c', out, taps, 1)).reshape('c', out, in);
    }

    /** {@code dKd}, shaped as {@code depthwise}: per output channel {@code Kp[o] [1, C_in]·G[o] [C_in, taps]}, a new array. */
    public static INDArray depthwiseGradient(INDArray g, INDArray pointwise, long[] depthwiseShape) {
        long out = g.size(0);
        long in = g.size(1);
        long taps = g.length() / (out * in);
        return MatMul.batched(pointwise.reshape('c', out, 1, in).castTo(g.dataType()), g.reshape('c', out, in, taps))
                .reshape('c', depthwiseShape);
    }
}
