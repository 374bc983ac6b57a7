package org.peft4j.tcurlora;

import java.util.Optional;
import org.peft4j.spi.AdapterConfig;

/**
 * Hyper-parameters of tCURLoRA (method {@code tcurlora}).
 *
 * @param rank     r, the number of selected rows and columns per slice; the trainable core of a tensor
 *                 with n3 slices has {@code r²·n3} parameters. At least 1, and at most
 *                 {@code min(n1, n2)} of every slice it is used on (checked when adapting).
 * @param mode     {@link Mode#GROUP}: equal-shape layers stacked into one tensor; {@link Mode#TAPS}: every
 *                 convolution with more than one kernel tap on its own, one slice per tap
 * @param fallback what a layer that the mode cannot place gets (a layer with no equal-shape partner in
 *                 group mode; a dense layer or 1x1 convolution in taps mode)
 */
public record TcurloraConfig(int rank, Mode mode, Fallback fallback) implements AdapterConfig {

    /** r = 8, group mode, no fallback (a layer without an equal-shape partner is an error). */
    public static final TcurloraConfig DEFAULT = new TcurloraConfig(8, Mode.GROUP, Fallback.NONE);

    /** How layers become third-order tensors. */
    public enum Mode {
        /** Layers with identical weight shape, in network order, are the frontal slices of one tensor. */
        GROUP,
        /** Each convolution is a tensor [C_out, C_in, taps] of its own, one slice per spatial tap (row-major). */
        TAPS
    }

    /** What a layer that the mode cannot place becomes. */
    public enum Fallback {
        /** An error naming the layer and its shape. */
        NONE,
        /** Taps mode (convolutions with more than one tap only; others are an error). */
        TAPS,
        /** Matrix CUR, n3 = 1 (the layer's weight as one slice). */
        MATRIX,
        /** Taps mode when the layer is a convolution with more than one tap and r fits its [C_out, C_in] taps, else matrix CUR. */
        AUTO
    }

    public TcurloraConfig {
        if (mode == null || fallback == null) {
            throw new IllegalArgumentException("tCURLoRA mode and fallback must not be null, got mode " + mode
                    + ", fallback " + fallback);
        }
        if (rank < 1) {
            throw new IllegalArgumentException("tCURLoRA rank must be >= 1, got " + rank);
        }
    }

    @Override
    public Optional<AdapterConfig> withRank(int rank) {
        return Optional.of(new TcurloraConfig(rank, mode, fallback));
    }

    /** Rank {@code rank}, group mode, no fallback. */
    public static TcurloraConfig of(int rank) {
        return new TcurloraConfig(rank, Mode.GROUP, Fallback.NONE);
    }
}
