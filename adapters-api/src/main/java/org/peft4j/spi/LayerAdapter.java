package org.peft4j.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The maths of an adapter method on one layer: all a method supplies. peft4j's execution core runs the layer
 * (forward pass with the merged weight {@code W0 + ΔW}, input gradient, data formats, pre-activation cache,
 * native routes) and asks the adapter only for its update and for the gradients of its parameters.
 *
 * <p>Every method whose update is a function of its parameters has this form: the layer computes
 * {@code act(x ⊛ (W0 + ΔW) + b0 + Δb)}, the core computes {@code G = dL/dW} of the merged weight (one native
 * backward op, as full fine-tuning would), and {@link #backward} applies the chain rule through
 * {@code ΔW(params)}. {@link #weightDelta} is the single source of truth for merging, unloading and tests.
 *
 * <p>Layouts are those of {@link WeightShape#shape()}: dense {@code [nIn, nOut]}, convolutions
 * {@code [C_out, C_in, k...]}. Implementations hold no per-call state (except a {@link DenseBranch}'s dropout
 * mask).
 */
public interface LayerAdapter {

    /** Every parameter the adapter reads, shared ones included, in the order they are laid out. */
    List<AdapterParameter> parameters();

    /**
     * Draws the starting values of the parameters this layer {@linkplain AdapterParameters#holds holds}, such
     * that {@code ΔW = 0} and {@code Δb = 0}. Called when the network is initialised and after every merge.
     */
    void initialise(AdapterParameters params);

    /** {@code ΔW}, a new array of {@link WeightShape#shape()} in {@code params.dataType()}. */
    INDArray weightDelta(AdapterParameters params);

    /** {@code Δb [nOut]}, a new array, or null when the adapter leaves the bias alone. */
    default INDArray biasDelta(AdapterParameters params) {
        return null;
    }

    /**
     * Writes the gradient of every parameter, given the gradient of the merged weight.
     *
     * @param weightGradient {@code G = dL/dW [WeightShape.shape()]}
     * @param biasGradient   {@code dL/db [nOut]}, or null when the layer has no bias
     */
    void backward(AdapterParameters params, INDArray weightGradient, INDArray biasGradient, AdapterGradients gradients);

    /**
     * A term the adapter adds to the training loss (e.g. CLoRA's diversity penalty), 0 by default. Its
     * gradient is {@link #backward}'s to add.
     */
    default double regularizationScore(AdapterParameters params) {
        return 0;
    }

    /**
     * Frozen state the trained values depend on that is not a parameter (e.g. selected rows), as text: adapter
     * files record it and refuse a base network where it comes out differently.
     */
    default Map<String, String> state(AdapterParameters params) {
        return Map.of();
    }

    /**
     * A route to this adapter's gradients on a 2D convolution that needs no {@code G} (see
     * {@link DirectConvGradients}); empty by default.
     */
    default Optional<DirectConvGradients> directConvGradients() {
        return Optional.empty();
    }

    /** A branch to train through instead of the merged weight (dense layers only); empty by default. */
    default Optional<DenseBranch> branch() {
        return Optional.empty();
    }
}
