package org.peft4j.tcurlora;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.spi.AdaptedLayer;
import org.peft4j.spi.AdapterConfig;

/**
 * What every tCURLoRA layer configuration offers ({@link TcurloraDenseLayer}, {@link TcurloraConvolutionLayer},
 * {@link TcurloraConvolution1DLayer}, {@link TcurloraConvolution3DLayer}). Parameters, in this order in the
 * layer's flat view:
 * <ul>
 *   <li>{@code b} frozen (when the layer has a bias) and {@code W} frozen, exactly as the wrapped DL4J layer
 *       keeps them (dense {@code W [nIn, nOut]}; convolutions {@code [C_out, C_in, k...]}, 1D with DL4J's
 *       {@code [C_out, C_in, k, 1]} buffer trap, see {@link org.peft4j.layers.ConvLayout});</li>
 *   <li>{@code dU} [n3, r, r] trainable, c order, zero at start: the core of the layer's tensor, held by the
 *       group's owner only (the member first in network order); the other members read it from there.</li>
 * </ul>
 * The layer's weight as a kernel {@code K [n1, C_in, taps]} ({@link #kernel3d}): dense {@code W0ᵀ} with
 * one tap; convolutions the PyTorch-layout kernel with its spatial axes flattened row-major. Group mode's
 * slice is {@code K} as {@code [n1, C_in·taps]}; taps mode's slice t is {@code K[:, :, t]}.
 */
public interface TcurLayer extends AdaptedLayer {

    String WEIGHT = "W";
    String BIAS = "b";
    String CORE = "dU";

    TcurloraConfig getTcurlora();

    TcurPlacement getPlacement();

    String getLayerName();

    boolean hasBias();

    /** The kernel {@code [n1, C_in, taps]} that {@code w} (this layer's {@code W}) holds, a new array. */
    INDArray kernel3d(INDArray w);

    /** The inverse of {@link #kernel3d}: {@code kernel} laid out as this layer's {@code W}, a new array. */
    INDArray weights(INDArray kernel, long[] wShape);

    /** Shape of the core, {@code [n3, r, r]}. */
    default long[] coreShape() {
        int r = getTcurlora().rank();
        return new long[] {getPlacement().n3(), r, r};
    }

    /** True when this layer holds the group's core. */
    default boolean ownsCore() {
        return getPlacement().group().isOwner(getLayerName());
    }

    @Override
    default String methodName() {
        return TcurloraMethod.NAME;
    }

    @Override
    default AdapterConfig adapterConfig() {
        return getTcurlora();
    }

    @Override
    default List<String> frozenKeys() {
        return hasBias() ? List.of(WEIGHT, BIAS) : List.of(WEIGHT);
    }

    /** The frozen keys and the core: {@code dU} is a difference, {@code U − U0}, so it is never regularised. */
    @Override
    default List<String> unregularizedKeys() {
        return hasBias() ? List.of(WEIGHT, BIAS, CORE) : List.of(WEIGHT, CORE);
    }

    @Override
    default List<String> adapterKeys() {
        return ownsCore() ? List.of(CORE) : List.of();
    }
}
