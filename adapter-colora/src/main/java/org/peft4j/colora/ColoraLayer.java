package org.peft4j.colora;

import java.util.List;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.spi.AdaptedLayer;

/**
 * What the CoLoRA parameter initialiser and branch need from a CoLoRA layer configuration
 * ({@link ColoraConvolutionLayer} for 2D, {@link ColoraConvolution1DLayer} for 1D). Parameters,
 * in this order in the layer's flat parameter view:
 * <ul>
 *   <li>{@code b} [C_out] frozen (only when the layer has a bias), as DL4J's convolution keeps it</li>
 *   <li>{@code W} frozen, exactly DL4J's layout: 2D {@code [C_out, C_in, kH, kW]}; 1D
 *       {@code [C_out, C_in, k, 1]}, whose c-order buffer DL4J reads as {@code [k, C_in, C_out]}
 *       (see {@link org.peft4j.layers.ConvLayout})</li>
 *   <li>{@code Kp} [C_out, C_in] trainable: the pointwise (1x..x1) kernel, {@code Kp[o, c]}</li>
 *   <li>{@code Kd} trainable: the depthwise kernels, one per output channel, 2D {@code [C_out, kH, kW]},
 *       1D {@code [C_out, k]}</li>
 *   <li>{@code db} [C_out] trainable: the bias delta (only when the layer has a bias)</li>
 * </ul>
 * All c order. {@code Kp} starts Glorot-uniform, {@code Kd} and {@code db} at zero, so the adapted
 * layer equals its base at init.
 */
public interface ColoraLayer extends AdaptedLayer {

    String WEIGHT = "W";
    String BIAS = "b";
    String POINTWISE = "Kp";
    String DEPTHWISE = "Kd";
    String BIAS_DELTA = "db";

    ColoraConfig getColora();

    long getNIn();

    long getNOut();

    boolean hasBias();

    /** The kernel as {@code {kH, kW}}; a 1D kernel of size k is {@code {1, k}}. */
    int[] kernelHW();

    /** True for the 1D layer. */
    boolean oneDimensional();

    /** Shape of {@code Kd}: {@code [C_out, kH, kW]}, or {@code [C_out, k]} in 1D. */
    default long[] depthwiseShape() {
        int[] k = kernelHW();
        return oneDimensional() ? new long[] {getNOut(), k[1]} : new long[] {getNOut(), k[0], k[1]};
    }

    @Override
    default String methodName() {
        return ColoraMethod.NAME;
    }

    @Override
    default AdapterConfig adapterConfig() {
        return getColora();
    }

    @Override
    default List<String> frozenKeys() {
        return hasBias() ? List.of(WEIGHT, BIAS) : List.of(WEIGHT);
    }

    @Override
    default List<String> adapterKeys() {
        return hasBias() ? List.of(POINTWISE, DEPTHWISE, BIAS_DELTA) : List.of(POINTWISE, DEPTHWISE);
    }
}
