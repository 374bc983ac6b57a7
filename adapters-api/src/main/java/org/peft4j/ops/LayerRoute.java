package org.peft4j.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The native passes of one DL4J layer with a weight, a dense layer ({@link DenseRoute}) or a convolution
 * ({@link Conv2dRoute}, {@link Conv3dRoute}), on activations in the layer's own data format and on its weights
 * {@code W} in DL4J's layout. Every pass is one libnd4j op or a few (which the oneDNN natives run on oneDNN),
 * with no copy to the Java heap and no loop over examples; dilated float convolutions run where the oneDNN
 * natives cannot ({@link DilatedConvolutions}).
 */
public interface LayerRoute {

    /** The shape of the pre-activation {@code z} for input {@code x}, in the layer's format. */
    long[] outputShape(INDArray x);

    /**
     * {@code z = W ⊛ x + b}.
     *
     * @param x    the input, in the layer's format
     * @param w    the weights in DL4J's layout
     * @param bias {@code [C_out]} (any shape of that length), or null
     * @param z    receives the output, {@link #outputShape}, c order
     */
    void forward(INDArray x, INDArray w, INDArray bias, INDArray z);

    /**
     * {@code dL/dx} alone, by the cheapest exact route.
     *
     * @param delta {@code δ = dL/dz}, in the layer's format
     * @param dx    receives {@code dL/dx}, {@code x}'s shape, c order
     */
    void inputGradient(INDArray x, INDArray w, INDArray delta, INDArray dx);

    /**
     * The gradients of {@code z = W ⊛ x + b}, in one op where libnd4j has one.
     *
     * @param dx             receives {@code dL/dx} ({@code x}'s shape, c order), or null when not needed (a route may
     *                       then take a cheaper op that forms the other gradients alone)
     * @param kernelGradient receives {@code dL/dW} in the kernel layout {@code [C_out, C_in, k...]} (for 1D
     *                       not DL4J's {@code W} layout, see {@link KernelLayout})
     * @param biasGradient   receives {@code dL/db [C_out]}, or null when the layer has no bias
     */
    void backward(INDArray x, INDArray w, INDArray delta, INDArray dx, INDArray kernelGradient, INDArray biasGradient);
}
