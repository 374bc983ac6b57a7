package org.peft4j.colora3d;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.spi.AdapterGradients;
import org.peft4j.spi.AdapterParameter;
import org.peft4j.spi.AdapterParameters;
import org.peft4j.spi.LayerAdapter;
import org.peft4j.spi.SeparableKernel;
import org.peft4j.spi.WeightShape;

/**
 * The maths of CoLoRA (Rivera &amp; Hoyos, §3.2: pointwise, then depthwise) on a {@code Convolution3D}
 * {@code O = act(K0 ⊛ I + b0)}, {@code K0 [C_out, C_in, kD, kH, kW]}:
 *
 * <pre>
 *   O  = act(K0 ⊛ I + b0 + Kd ⊛ (Kp ⊛ I) + db)      Kp [C_out, C_in],  Kd [C_out, kD, kH, kW],  db [C_out]
 *   ΔK[o, c, d, h, w] = Kd[o, d, h, w]·Kp[o, c]       (merge: K0 += ΔK, b0 += db)
 * </pre>
 *
 * where {@code Kp ⊛} is a pointwise (1x1x1, stride 1, unpadded, bias-free) convolution and {@code Kd ⊛} a
 * depthwise one with the layer's kernel size, stride, padding, convolution mode and dilation. The layer runs as one
 * 3D convolution with {@code K0 + ΔK}; {@code dKp}, {@code dKd} follow from the kernel gradient by
 * {@link SeparableKernel} and {@code ddb} is the bias gradient. {@code Kp} is drawn by {@link PointwiseInit},
 * {@code Kd} and {@code db} start at zero, and again so after every merge. Keys: {@code Kp}, {@code Kd} and (for a
 * layer with a bias) {@code db}.
 */
final class Colora3d implements LayerAdapter {

    static final String POINTWISE = "Kp";
    static final String DEPTHWISE = "Kd";
    static final String BIAS_DELTA = "db";

    private final Colora3dConfig config;
    private final WeightShape weight;
    private final long[] depthwise;

    Colora3d(WeightShape weight, Colora3dConfig config) {
        this.config = config;
        this.weight = weight;
        int[] k = weight.kernel();
        this.depthwise = new long[] {weight.outputs(), k[0], k[1], k[2]};
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
        config.pointwiseInit().draw(params.get(POINTWISE), config.pointwiseGain());
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
