package org.peft4j.colora;

import org.deeplearning4j.nn.weights.WeightInitXavierUniform;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.spi.SeparableKernelAdapter;
import org.peft4j.spi.WeightShape;

/**
 * The maths of CoLoRA (Rivera &amp; Hoyos, §3.2) on one 1D or 2D convolution {@code O = act(K0 ⊛ I + b0)},
 * kernel {@code K0 [C_out, C_in, k...]}:
 *
 * <pre>
 *   Z1 = Kp ⊛ I                 pointwise, C_in -> C_out, no bias               Kp [C_out, C_in]
 *   Z2 = Kd ⊛ Z1                depthwise, the base kernel/stride/padding/dilation  Kd [C_out, k...]
 *   O  = act(K0 ⊛ I + b0 + Z2 + db)                                              db [C_out] (layers with a bias)
 *   ΔK[o, c, t] = Kd[o, t]·Kp[o, c]   so  Z2 = ΔK ⊛ I        (eq. 10; merge: K0 += ΔK, b0 += db, eq. 11)
 * </pre>
 *
 * The layer runs as one convolution with {@code K0 + ΔK}; the adapter gradients follow from the kernel gradient
 * {@code G} by {@link org.peft4j.spi.SeparableKernel}: {@code dKp = Σ_t G·Kd}, {@code dKd = Σ_c G·Kp}, {@code ddb = dL/db}.
 * {@code Kp} starts Glorot-uniform (times the configured gain), {@code Kd} and {@code db} at zero, and again so
 * after every merge.
 */
final class Colora extends SeparableKernelAdapter {

    private final ColoraConfig config;

    Colora(WeightShape weight, ColoraConfig config) {
        super(weight);
        this.config = config;
    }

    @Override
    protected void drawPointwise(INDArray pointwise) {
        new WeightInitXavierUniform().init(weight.inputs(), weight.outputs(), pointwise.shape(), 'c', pointwise);
        pointwise.muli(config.pointwiseGain());
    }
}
