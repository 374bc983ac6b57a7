package org.peft4j.lora;

import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.ops.ConvPass;
import org.peft4j.ops.MatMul;
import org.peft4j.spi.AdapterGradients;
import org.peft4j.spi.AdapterParameter;
import org.peft4j.spi.AdapterParameters;
import org.peft4j.spi.DirectConvGradients;
import org.peft4j.spi.LayerAdapter;
import org.peft4j.spi.WeightShape;

/**
 * The maths of LoRA on a convolution as Hugging Face PEFT builds it for {@code nn.Conv1d/2d}: a down
 * convolution {@code A} (C_in -> r, the base kernel size, stride, padding and dilation, no bias) followed by a
 * 1x..x1 up convolution {@code B} (r -> C_out), scaled by {@code s = alpha / r}. The branch is linear in the
 * input and shares the base geometry, so it is the kernel update
 *
 * <pre>
 *   z  = K0 ⊛ x + b0 + s·B ⊛ (A ⊛ x) = (K0 + ΔK) ⊛ x + b0
 *   ΔK = s·B·A                           A [r, C_in, k...] as [r, C_in·taps],  B [C_out, r]
 *   dA = s·Bᵀ·G,   dB = s·G·Aᵀ          G = dL/dK as [C_out, C_in·taps]
 * </pre>
 *
 * {@code A} is drawn by {@link LoraInit} with fan-in {@code C_in·taps}, {@code B} starts at zero. Dropout on the
 * branch input would break the kernel form, so lora-conv takes dropout 0.
 *
 * <p>On 2D layers where the core finds forming {@code G} dearest (few output positions, many channels) the gradients
 * come from the branch itself, as PEFT's autograd computes them:
 *
 * <pre>
 *   Y  = A ⊛ x                 [N, outH, outW, r]   the layer's geometry
 *   dB = s·δᵀ·Y                δ [N·outH·outW, C_out], Y as [N·outH·outW, r]
 *   dY = s·δ·B                 then dA = the kernel gradient of A ⊛ x for dY
 * </pre>
 */
final class LoraConv implements LayerAdapter {

    static final String A = "A";
    static final String B = "B";

    private final LoraConfig config;
    private final WeightShape weight;
    private final long fanIn;

    LoraConv(WeightShape weight, LoraConfig config) {
        this.config = config;
        this.weight = weight;
        this.fanIn = weight.fanIn();
    }

    @Override
    public List<AdapterParameter> parameters() {
        long[] down = weight.shape();
        down[0] = config.rank();
        return List.of(AdapterParameter.weight(A, down), AdapterParameter.weight(B, weight.outputs(), config.rank()));
    }

    /** {@code B = 0}, {@code A} drawn: {@code ΔK = 0}. */
    @Override
    public void initialise(AdapterParameters params) {
        params.get(B).assign(0);
        config.init().initialize(params.get(A), fanIn, config.rank());
    }

    @Override
    public INDArray weightDelta(AdapterParameters params) {
        return MatMul.product(config.scale(), params.get(B), false, down(params), false).reshape('c', weight.shape());
    }

    @Override
    public void backward(AdapterParameters params, INDArray g, INDArray biasGradient, AdapterGradients gradients) {
        double s = config.scale();
        INDArray g2 = g.reshape('c', weight.outputs(), fanIn);
        gradients.set(A, MatMul.product(s, params.get(B), true, g2, false));
        gradients.set(B, MatMul.product(s, g2, false, down(params), true));
    }

    @Override
    public Optional<DirectConvGradients> directConvGradients() {
        return weight.kind() == WeightShape.Kind.CONV2D ? Optional.of(this::backwardThroughBranch) : Optional.empty();
    }

    /** {@code dA} and {@code dB} through the branch, without {@code G}. */
    private void backwardThroughBranch(AdapterParameters params, ConvPass pass, INDArray biasGradient,
            AdapterGradients gradients) {
        double s = config.scale();
        INDArray a = params.get(A);
        INDArray y = pass.convolveInput(a);
        INDArray delta = pass.deltaNhwc().reshape('c', -1, weight.outputs());
        INDArray yRows = y.reshape('c', -1, config.rank());
        gradients.set(B, MatMul.product(s, delta, true, yRows, false));
        INDArray dy = MatMul.product(s, delta, false, params.get(B), false);
        gradients.set(A, pass.kernelGradient(a, dy.reshape('c', y.shape())));
    }

    /** {@code A} as {@code [r, C_in·taps]}. */
    private INDArray down(AdapterParameters params) {
        return params.get(A).reshape('c', config.rank(), fanIn);
    }
}
