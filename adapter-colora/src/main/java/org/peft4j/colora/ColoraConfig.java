package org.peft4j.colora;

import org.peft4j.spi.AdapterConfig;

/**
 * Hyper-parameters of CoLoRA (method {@code colora}). The method has no rank: its structure (one
 * pointwise and one depthwise convolution per adapted layer) fixes the adapter's size,
 * {@code C_out·C_in + C_out·prod(k) + C_out} parameters (the last term only when the layer has a bias).
 *
 * @param pointwiseGain g, scaling the Glorot-uniform draw of the pointwise kernel:
 *                      {@code Kp ~ U(-g·sqrt(6 / (C_in + C_out)), +g·sqrt(6 / (C_in + C_out)))}
 *                      at init and at every merge; 1 is Keras' {@code glorot_uniform}, as in the
 *                      paper's code. Positive and finite.
 */
public record ColoraConfig(double pointwiseGain) implements AdapterConfig {

    /** Glorot-uniform with gain 1, as the paper's code. */
    public static final ColoraConfig DEFAULT = new ColoraConfig(1.0);

    public ColoraConfig {
        if (!(pointwiseGain > 0) || Double.isInfinite(pointwiseGain)) {
            throw new IllegalArgumentException("CoLoRA pointwiseGain must be a positive finite number, got "
                    + pointwiseGain);
        }
    }
}
