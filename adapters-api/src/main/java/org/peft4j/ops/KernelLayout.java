package org.peft4j.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.spi.WeightShape;

/**
 * Converts between a layer's weights {@code W} as DL4J keeps them and the layout adapter methods work in
 * ({@link WeightShape#shape()}). They coincide except for {@code Convolution1DLayer}: DL4J reports its
 * {@code W} as {@code [C_out, C_in, k, 1]} but its convolution reads that c-order buffer as a
 * {@code [k, C_in, C_out]} array, so a kernel {@code K[o, c, t]} sits at buffer position
 * {@code (t·C_in + c)·C_out + o} (for NCW and NWC alike).
 */
public final class KernelLayout {

    private KernelLayout() {
    }

    /** The weight {@code w} (DL4J's {@code W}) in the layout of {@link WeightShape#shape()}; a view when they coincide. */
    public static INDArray kernel(WeightShape shape, INDArray w) {
        if (shape.kind() != WeightShape.Kind.CONV1D) {
            return w;
        }
        long k = shape.kernel()[0];
        return contiguous(w).reshape('c', k, shape.inputs(), shape.outputs()).permute(2, 1, 0).dup('c');
    }

    /** The inverse of {@link #kernel}: {@code kernel} laid out as DL4J's {@code W} of shape {@code wShape}, a new array. */
    public static INDArray weights(WeightShape shape, INDArray kernel, long[] wShape) {
        if (shape.kind() != WeightShape.Kind.CONV1D) {
            return kernel.dup('c').reshape('c', wShape);
        }
        return kernel.reshape('c', shape.outputs(), shape.inputs(), shape.kernel()[0]).permute(2, 1, 0).dup('c')
                .reshape('c', wShape);
    }

    /** {@code x} if it is c-ordered with default strides, else a c-ordered copy. */
    public static INDArray contiguous(INDArray x) {
        return x.ordering() == 'c' && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(x) ? x : x.dup('c');
    }
}
