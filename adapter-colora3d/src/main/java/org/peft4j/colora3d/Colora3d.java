package org.peft4j.colora3d;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.spi.SeparableKernelAdapter;
import org.peft4j.spi.WeightShape;

/**
 * The maths of CoLoRA (Rivera &amp; Hoyos, §3.2: pointwise, then depthwise) on a {@code Convolution3D}
 * {@code O = act(K0 ⊛ I + b0)}, {@code K0 [C_out, C_in, kD, kH, kW]}:
 *
 * <pre>
 *   O  = act(K0 ⊛ I + b0 + Kd ⊛ (Kp ⊛ I) + db)      Kp [C_out, C_in],  Kd [C_out, kD, kH, kW],  db [C_out]
 *   ΔK[o, c, d, h, w] = Kd[o, d, h, w]·Kp[o, c]       (merge: K0 += ΔK, b0 += db)
 * </pre>
 *
 * where {@code Kp ⊛} is a pointwise (1x1x1, stride 1, unpadded, bias-free) convolution and {@code Kd ⊛} a
 * depthwise one with the layer's kernel size, stride, padding, convolution mode and dilation. The layer runs as one
 * 3D convolution with {@code K0 + ΔK}; {@code dKp}, {@code dKd} follow from the kernel gradient by
 * {@link org.peft4j.spi.SeparableKernel} and {@code ddb} is the bias gradient. {@code Kp} is drawn by {@link PointwiseInit},
 * {@code Kd} and {@code db} start at zero, and again so after every merge. Keys: {@code Kp}, {@code Kd} and (for a
 * layer with a bias) {@code db}.
 */
final class Colora3d extends SeparableKernelAdapter {

    private final Colora3dConfig config;

    Colora3d(WeightShape weight, Colora3dConfig config) {
        super(weight);
        this.config = config;
    }

    @Override
    protected void drawPointwise(INDArray pointwise) {
        config.pointwiseInit().draw(pointwise, config.pointwiseGain());
    }
}
