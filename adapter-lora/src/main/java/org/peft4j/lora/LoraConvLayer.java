package org.peft4j.lora;

import java.util.List;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.spi.AdaptedLayer;

/**
 * What the LoRA-conv parameter initialiser and branch need from a LoRA-conv layer configuration
 * ({@link LoraConvolutionLayer} for 2D, {@link LoraConvolution1DLayer} for 1D). Parameters, in this
 * order in the layer's flat parameter view, all c order:
 * <ul>
 *   <li>{@code b} [C_out] frozen (only when the layer has a bias), as DL4J's convolution keeps it</li>
 *   <li>{@code W} frozen, exactly DL4J's layout: 2D {@code [C_out, C_in, kH, kW]}; 1D
 *       {@code [C_out, C_in, k, 1]}, a buffer DL4J reads as {@code [k, C_in, C_out]}</li>
 *   <li>{@code A} trainable: the down convolution's kernel C_in -> r with the base kernel size,
 *       2D {@code [r, C_in, kH, kW]}, 1D {@code [r, C_in, k]} (PyTorch's conv weight layout), drawn by
 *       {@link LoraInit} with fan-in {@code C_in·prod(k)}</li>
 *   <li>{@code B} [C_out, r] trainable: the 1x..x1 up convolution r -> C_out, zero at init</li>
 * </ul>
 */
public interface LoraConvLayer extends AdaptedLayer {

    String WEIGHT = "W";
    String BIAS = "b";
    String A = "A";
    String B = "B";

    LoraConfig getLora();

    long getNIn();

    long getNOut();

    boolean hasBias();

    /** The kernel as {@code {kH, kW}}; a 1D kernel of size k is {@code {1, k}}. */
    int[] kernelHW();

    /** True for the 1D layer. */
    boolean oneDimensional();

    /** Shape of {@code A}: {@code [r, C_in, kH, kW]}, or {@code [r, C_in, k]} in 1D. */
    default long[] downShape() {
        int[] k = kernelHW();
        long r = getLora().rank();
        return oneDimensional() ? new long[] {r, getNIn(), k[1]} : new long[] {r, getNIn(), k[0], k[1]};
    }

    @Override
    default String methodName() {
        return LoraConvMethod.NAME;
    }

    @Override
    default AdapterConfig adapterConfig() {
        return getLora();
    }

    @Override
    default List<String> frozenKeys() {
        return hasBias() ? List.of(WEIGHT, BIAS) : List.of(WEIGHT);
    }

    @Override
    default List<String> adapterKeys() {
        return List.of(A, B);
    }
}
