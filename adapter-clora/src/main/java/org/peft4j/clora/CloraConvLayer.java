package org.peft4j.clora;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A CLoRA convolution of any dimension ({@link CloraConvolution1DLayer}, {@link CloraConvolutionLayer},
 * {@link CloraConvolution3DLayer}): the down pool holds p·r kernels {@code D [p·r, C_in, k...]} (PyTorch
 * layout, {@code k...} the layer's spatial kernel sizes: {@code k}, {@code kH, kW} or {@code kD, kH, kW}),
 * the up pool a 1x..x1 map {@code U [C_out, p·r]}. In the matrix view of {@link CloraLayer},
 * {@code d_in = C_in·taps} (taps = the product of {@code k...}, c order of {@code [C_in, k...]}) and
 * {@code d_out = C_out}; SADE uses {@code M_h [C_in·taps, C_out]}.
 */
interface CloraConvLayer extends CloraLayer {

    long getNIn();

    long getNOut();

    /** The spatial kernel sizes {@code k...} in the order of the kernel's axes. */
    int[] spatialKernel();

    /** The product of {@link #spatialKernel()}. */
    default long taps() {
        long taps = 1;
        for (int k : spatialKernel()) {
            taps *= k;
        }
        return taps;
    }

    @Override
    default long inDim() {
        return getNIn() * taps();
    }

    @Override
    default long outDim() {
        return getNOut();
    }

    /** {@code [p·r, C_in, k...]}. */
    @Override
    default long[] downShape() {
        int[] kernel = spatialKernel();
        long[] shape = new long[2 + kernel.length];
        shape[0] = getClora().width();
        shape[1] = getNIn();
        for (int i = 0; i < kernel.length; i++) {
            shape[2 + i] = kernel[i];
        }
        return shape;
    }

    /** {@code [C_out, p·r]}. */
    @Override
    default long[] upShape() {
        return new long[] {getNOut(), getClora().width()};
    }

    /** {@code D [p·r, C_in, k...]} as {@code [C_in·taps, p·r]}. */
    @Override
    default INDArray downMatrix(INDArray down) {
        return down.reshape('c', getClora().width(), inDim()).transpose();
    }

    @Override
    default INDArray downParam(INDArray matrix) {
        return matrix.transpose().dup('c').reshape('c', downShape());
    }

    /** {@code U [C_out, p·r]} as {@code [p·r, C_out]}. */
    @Override
    default INDArray upMatrix(INDArray up) {
        return up.transpose();
    }

    @Override
    default INDArray upParam(INDArray matrix) {
        return matrix.transpose().dup('c');
    }
}
