package org.peft4j.colora3d;

import org.peft4j.spi.AdapterConfig;

/**
 * Hyper-parameters of CoLoRA on 3D convolutions (method {@code colora3d}). CoLoRA has no rank or
 * scale: its update {@code ΔK[o, c, k] = Kd[o, k]·Kp[o, c]} is fixed by the layer's shape. What can
 * be chosen is how the pointwise kernel {@code Kp} starts (the depthwise kernel {@code Kd} and the
 * bias delta {@code db} always start at zero, so the adapted layer equals its base at init).
 *
 * @param pointwiseInit the distribution of {@code Kp}; the paper's code uses Glorot uniform
 * @param pointwiseGain a factor on the drawn {@code Kp}: larger values make {@code Kd} move
 *                      {@code ΔK} faster for the same learning rate; positive and finite
 */
public record Colora3dConfig(PointwiseInit pointwiseInit, double pointwiseGain) implements AdapterConfig {

    /** Glorot-uniform {@code Kp} with gain 1, as the paper's code. */
    public static final Colora3dConfig DEFAULT = new Colora3dConfig(PointwiseInit.GLOROT_UNIFORM, 1.0);

    public Colora3dConfig {
        if (pointwiseInit == null) {
            throw new IllegalArgumentException("colora3d pointwiseInit must be given (GLOROT_UNIFORM or GLOROT_NORMAL)");
        }
        if (!(pointwiseGain > 0) || Double.isInfinite(pointwiseGain)) {
            throw new IllegalArgumentException("colora3d pointwiseGain must be a positive finite number, got "
                    + pointwiseGain);
        }
    }
}
