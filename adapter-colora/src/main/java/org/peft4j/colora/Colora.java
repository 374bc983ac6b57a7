package org.peft4j.colora;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.weights.WeightInitXavierUniform;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.spi.AdapterGradients;
import org.peft4j.spi.AdapterParameter;
import org.peft4j.spi.AdapterParameters;
import org.peft4j.spi.LayerAdapter;
import org.peft4j.spi.SeparableKernel;
import org.peft4j.spi.WeightShape;

/**
 * The maths of CoLoRA (Rivera &amp; Hoyos, §3.2) on one 1D or 2D convolution {@code O = act(K0 ⊛ I + b0)},
 * kernel {@code K0 [C_out, C_in, k...]}:
 *
 * <pre>
 *   Z1 = Kp ⊛ I                 pointwise, C_in -> C_out, no bias               Kp [C_out, C_in]
 *   Z2 = Kd ⊛ Z1                depthwise, the base kernel/stride/padding/dilation  Kd [C_out, k...]
 *   O  = act(K0 ⊛ I + b0 + Z2 + db)                                              db [C_out] (layers with a bias)
 *   ΔK[o, c, t] = Kd[o, t]·Kp[o, c]   so  Z2 = ΔK ⊛ I        (eq. 10; merge: K0 += ΔK, b0 += db, eq. 11)
 * </pre>
 *
 * The layer runs as one convolution with {@code K0 + ΔK}; the adapter gradients follow from the kernel gradient
 * {@code G} by {@link SeparableKernel}: {@code dKp = Σ_t G·Kd}, {@code dKd = Σ_c G·Kp}, {@code ddb = dL/db}.
 * {@code Kp} starts Glorot-uniform (times the configured gain), {@code Kd} and {@code db} at zero, and again so
 * after every merge.
 */
final class Colora implements LayerAdapter {

    static final String POINTWISE = "Kp";
    static final String DEPTHWISE = "Kd";
    static final String BIAS_DELTA = "db";

    private final ColoraConfig config;
    private final WeightShape weight;
    private final long[] depthwise;

    Colora(WeightShape weight, ColoraConfig config) {
        this.config = config;
        this.weight = weight;
        long[] shape = weight.shape();
        this.depthwise = new long[shape.length - 1];
        depthwise[0] = weight.outputs();
        System.arraycopy(shape, 2, depthwise, 1, shape.length - 2);
    }

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
        INDArray kp = params.get(POINTWISE);
        new WeightInitXavierUniform().init(weight.inputs(), weight.outputs(), kp.shape(), 'c', kp);
        kp.muli(config.pointwiseGain());
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

    @Override
    public void backward(AdapterParameters params, INDArray g, INDArray biasGradient, AdapterGradients gradients) {
        gradients.set(POINTWISE, SeparableKernel.pointwiseGradient(g, params.get(DEPTHWISE)));
        gradients.set(DEPTHWISE, SeparableKernel.depthwiseGradient(g, params.get(POINTWISE), depthwise));
        if (weight.bias()) {
            gradients.set(BIAS_DELTA, biasGradient);
        }
    }
}
