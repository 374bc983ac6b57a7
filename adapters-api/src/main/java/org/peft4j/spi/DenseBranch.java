package org.peft4j.spi;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An adapter on a dense layer that trains as a separate branch, {@code z = x·W0 + b0 + branch(x)}, instead of
 * through the merged weight: needed when the branch sees another input than the base (LoRA's dropout on the
 * branch input). Inference and merging still use {@link LayerAdapter#weightDelta}, so
 * {@code branch(x) = x·ΔW} must hold outside training.
 */
public interface DenseBranch {

    /**
     * The branch's term of the pre-activation in a training forward pass, {@code [N, nOut]}, a new array.
     * Random state it draws (a dropout mask) must be kept for the backward pass of the same {@code x}.
     *
     * @param x the layer input {@code [N, nIn]}
     */
    INDArray forward(AdapterParameters params, INDArray x);

    /**
     * Writes the branch parameters' gradients and returns the branch's share of {@code dL/dx [N, nIn]}.
     *
     * @param x     the input of the forward pass
     * @param delta {@code δ = dL/dz [N, nOut]}
     */
    INDArray inputGradient(AdapterParameters params, INDArray x, INDArray delta, AdapterGradients gradients);
}
