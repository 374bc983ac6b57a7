package org.peft4j.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.ops.ConvPass;
import org.peft4j.ops.MatMul;

/**
 * The layer maths of an update whose kernel is a pointwise convolution followed by a depthwise one
 * ({@link SeparableKernel}), for a convolution of any dimension with kernel {@code K0 [C_out, C_in, k...]}:
 *
 * <pre>
 *   Kp [C_out, C_in]   trainable, drawn by {@link #drawPointwise}
 *   Kd [C_out, k...]   trainable, zero at start          ΔK[o, c, t] = Kd[o, t]·Kp[o, c]
 *   db [C_out]         trainable, zero at start (layers with a bias only)
 *   dKp = Σ_t G·Kd,   dKd = Σ_c G·Kp,   ddb = dL/db      G = dL/dW of the merged kernel
 * </pre>
 *
 * A zero {@code Kd} makes {@code ΔK = 0}, so the adapted layer equals the base at start and after every merge.
 */
public abstract class SeparableKernelAdapter implements LayerAdapter {

    public static final String POINTWISE = "Kp";
    public static final String DEPTHWISE = "Kd";
    public static final String BIAS_DELTA = "db";

    protected final WeightShape weight;
    private final long[] depthwise;

    protected SeparableKernelAdapter(WeightShape weight) {
        this.weight = weight;
        long[] shape = weight.shape();
        this.depthwise = new long[shape.length - 1];
        depthwise[0] = weight.outputs();
        System.arraycopy(shape, 2, depthwise, 1, shape.length - 2);
    }

    /** Draws the starting {@code Kp [C_out, C_in]} into {@code pointwise}. */
    protected abstract void drawPointwise(INDArray pointwise);

    @Override
    public List<AdapterParameter> parameters() {
        List<AdapterParameter> parameters = new ArrayList<>(List.of(
                AdapterParameter.weight(POINTWISE, weight.outputs(), weight.inputs()),
                AdapterParameter.weight(DEPTHWISE, depthwise)));
        if (weight.bias()) {
            parameters.add(AdapterParameter.bias(BIAS_DELTA, weight.outputs()));
        }
        return parameters;
    }

    @Override
    public void initialise(AdapterParameters params) {
        drawPointwise(params.get(POINTWISE));
        params.get(DEPTHWISE).assign(0);
        if (weight.bias()) {
            params.get(BIAS_DELTA).assign(0);
        }
    }

    @Override
    public INDArray weightDelta(AdapterParameters params) {
        return SeparableKernel.product(params.get(POINTWISE), params.get(DEPTHWISE), weight.shape());
    }

    @Override
    public INDArray biasDelta(AdapterParameters params) {
        return weight.bias() ? params.get(BIAS_DELTA).dup() : null;
    }

    /** On 2D convolutions: the factor gradients through the two convolutions, without {@code G}. */
    @Override
    public Optional<DirectConvGradients> directConvGradients() {
        return weight.kind() == WeightShape.Kind.CONV2D ? Optional.of(this::backwardThroughConvolutions)
                : Optional.empty();
    }

    /**
     * {@code Z1 = Kp ⊛ x} as one product {@code [N·H·W, C_in]·Kpᵀ}, then the depthwise convolution's backward pass
     * gives {@code dKd} and {@code dZ1 [N·H·W, C_out]}, and {@code dKp = dZ1ᵀ·x}.
     */
    private void backwardThroughConvolutions(AdapterParameters params, ConvPass pass, INDArray biasGradient,
            AdapterGradients gradients) {
        INDArray x = pass.inputRows();
        INDArray z1 = MatMul.timesTransposed(x, params.get(POINTWISE));
        INDArray dz1 = Nd4j.createUninitialized(z1.dataType(), z1.shape(), 'c');
        INDArray dKd = Nd4j.createUninitialized(z1.dataType(), depthwise, 'c');
        long[] nhwc = pass.inputShapeNhwc(weight.outputs());
        pass.depthwiseBackward(z1.reshape('c', nhwc), params.get(DEPTHWISE), dz1.reshape('c', nhwc), dKd);
        gradients.set(POINTWISE, MatMul.transposedTimes(dz1, x));
        gradients.set(DEPTHWISE, dKd);
        if (weight.bias()) {
            gradients.set(BIAS_DELTA, biasGradient);
        }
    }

    @Override
    public void backward(AdapterParameters params, INDArray g, INDArray biasGradient, AdapterGradients gradients) {
        gradients.set(POINTWISE, SeparableKernel.pointwiseGradient(g, params.get(DEPTHWISE)));
        gradients.set(DEPTHWISE, SeparableKernel.depthwiseGradient(g, params.get(POINTWISE), depthwise));
        if (weight.bias()) {
            gradients.set(BIAS_DELTA, biasGradient);
        }
    }
}
