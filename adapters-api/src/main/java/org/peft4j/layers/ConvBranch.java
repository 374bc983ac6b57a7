package org.peft4j.layers;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The trainable part of an adapted convolution whose whole effect is a change of the kernel and
 * the bias: {@code z = (K0 + ΔK) ⊛ x + b0 + Δb}. CoLoRA ({@code ΔK[o,c,k..] = Kd[o,k..]·Kp[o,c]})
 * and LoRA-conv ({@code ΔK = s·B·A}) both have this form, because their branches are linear in
 * {@code x}, have no bias of their own before the last step and reuse the base stride, padding and
 * dilation. {@link MergedConvRuntime} and {@link MergedConv1dRuntime} use it to run the forward pass
 * and the input gradient as ONE ordinary convolution with the merged kernel, and ask the branch
 * only for its own parameter gradients.
 *
 * <p>Kernels are in PyTorch layout {@code [C_out, C_in, kH, kW]}; a 1D convolution is the 2D one
 * with {@code kH = 1} (see {@link ConvGeometry}). Implementations hold no per-call state.
 */
public interface ConvBranch {

    /** Keys of the branch parameters; they get gradients, the frozen {@code W} and {@code b} never do. */
    List<String> keys();

    /**
     * {@code ΔK [C_out, C_in, kH, kW]}, a new array in the data type of the parameters.
     *
     * @param params the layer's parameters by key
     */
    INDArray kernelDelta(Map<String, INDArray> params);

    /** {@code Δb [C_out]}, a new array, or null when the branch leaves the bias alone. */
    INDArray biasDelta(Map<String, INDArray> params);

    /**
     * Writes the gradient of every branch parameter into {@code gradients} (the layer's gradient
     * views, by key), given the layer input and the gradient of the pre-activation.
     *
     * @param x     input [N, C_in, inH, inW], c order
     * @param delta δ = dL/dz [N, C_out, outH, outW]
     */
    void backward(Map<String, INDArray> params, INDArray x, INDArray delta, ConvGeometry g,
            Map<String, INDArray> gradients);

    /** After {@code ΔK} and {@code Δb} were added to the base: makes both zero again (e.g. re-draws factors). */
    void reset(Map<String, INDArray> params);
}
