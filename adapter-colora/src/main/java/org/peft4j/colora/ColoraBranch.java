package org.peft4j.colora;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.weights.WeightInitXavierUniform;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.layers.ConvBranch;
import org.peft4j.layers.ConvGeometry;
import org.peft4j.layers.ConvolutionOps;

/**
 * The maths of CoLoRA (Rivera &amp; Hoyos) on one convolution {@code O = act(K0 ⊛ I + b0)}, kernel
 * {@code K0 [C_out, C_in, kH, kW]} (1D: {@code kH = 1}):
 *
 * <pre>
 *   Z1 = Kp ⊛ I                 pointwise, C_in -> C_out, no bias           Kp [C_out, C_in]
 *   Z2 = Kd ⊛ Z1                depthwise, base kernel/stride/padding/dilation  Kd [C_out, kH, kW]
 *   O  = act(K0 ⊛ I + b0 + Z2 + db)                                         db [C_out]
 *   ΔK[o, c, i, j] = Kd[o, i, j] · Kp[o, c]        so   Z2 = ΔK ⊛ I   (eq. 10; merge: K0 += ΔK, b0 += db, eq. 11)
 * </pre>
 *
 * The forward pass and the input gradient use {@code K0 + ΔK} in one convolution
 * ({@link ConvBranch}). With {@code δ = dL/dz [N, C_out, outH, outW]} the adapter gradients are
 *
 * <pre>
 *   ddb[o]       = Σ_{n,y} δ[n, o, y]
 *   dKd[o, i, j] = Σ_{n,y} δ[n, o, y] · Z1[n, o, pos(y; i, j)]       depthwise weight gradient of Z1
 *   E1           = dL/dZ1 = Kd ⊛ᵀ δ                                    depthwise input gradient
 *   dKp[o, c]    = Σ_{n,u} E1[n, o, u] · I[n, c, u]                     one gemm per example
 * </pre>
 *
 * i.e. two gemms of {@code C_out·C_in·N·H·W} multiply-adds (1/prod(k) of a convolution each, at
 * stride 1) and two depthwise passes ({@link DepthwiseKernels}); the full weight gradient
 * {@code dL/dΔK} (as costly as the convolution) is never formed. The route was chosen by measuring
 * the alternatives: see {@link DepthwiseKernels} and the README.
 */
final class ColoraBranch implements ConvBranch {

    private final ColoraConfig config;
    private final boolean bias;
    private final long out;
    private final long in;
    private final int[] kernel;
    private final long[] depthwiseShape;

    ColoraBranch(ColoraLayer layer) {
        this.config = layer.getColora();
        this.bias = layer.hasBias();
        this.out = layer.getNOut();
        this.in = layer.getNIn();
        this.kernel = layer.kernelHW();
        this.depthwiseShape = layer.depthwiseShape();
    }

    /** Draws {@code Kp} (Glorot-uniform times the configured gain) and zeroes {@code Kd} and {@code db}. */
    static void initialise(ColoraLayer layer, Map<String, INDArray> params) {
        new ColoraBranch(layer).reset(params);
    }

    @Override
    public List<String> keys() {
        return bias ? List.of(ColoraLayer.POINTWISE, ColoraLayer.DEPTHWISE, ColoraLayer.BIAS_DELTA)
                : List.of(ColoraLayer.POINTWISE, ColoraLayer.DEPTHWISE);
    }

    /** {@code ΔK[o, c, i, j] = Kd[o, i, j] · Kp[o, c]} [C_out, C_in, kH, kW]. */
    @Override
    public INDArray kernelDelta(Map<String, INDArray> params) {
        INDArray kp = params.get(ColoraLayer.POINTWISE).reshape('c', out, in, 1, 1);
        INDArray kd = params.get(ColoraLayer.DEPTHWISE).reshape('c', out, 1, kernel[0], kernel[1]);
        INDArray delta = Nd4j.createUninitialized(kp.dataType(), new long[] {out, in, kernel[0], kernel[1]}, 'c');
        Nd4j.exec(new MulOp(kp, kd, delta));
        return delta;
    }

    @Override
    public INDArray biasDelta(Map<String, INDArray> params) {
        return bias ? params.get(ColoraLayer.BIAS_DELTA).dup() : null;
    }

    @Override
    public void backward(Map<String, INDArray> params, INDArray x, INDArray delta, ConvGeometry g,
            Map<String, INDArray> gradients) {
        DataType type = x.dataType();
        int batch = Math.toIntExact(x.size(0));
        long pixels = (long) g.inH() * g.inW();
        INDArray dz = ConvolutionOps.contiguous(delta);
        if (bias) {
            gradients.get(ColoraLayer.BIAS_DELTA).assign(dz.sum(0, 2, 3));
        }
        INDArray x3 = x.reshape('c', batch, in, pixels);
        INDArray kp = params.get(ColoraLayer.POINTWISE);
        INDArray z1 = Nd4j.createUninitialized(type, new long[] {batch, out, pixels}, 'c');
        for (int n = 0; n < batch; n++) {
            Nd4j.gemm(kp, x3.slice(n), z1.slice(n), false, false, 1.0, 0.0);
        }
        double[] deltas = HostArrays.doubles(dz);
        double[] dkd = DepthwiseKernels.weightGradient(HostArrays.doubles(z1), deltas, batch, (int) out, g);
        gradients.get(ColoraLayer.DEPTHWISE).assign(HostArrays.array(dkd, type, depthwiseShape));
        double[] e1 = DepthwiseKernels.inputGradient(deltas, HostArrays.doubles(params.get(ColoraLayer.DEPTHWISE)),
                batch, (int) out, g);
        INDArray e13 = HostArrays.array(e1, type, batch, out, pixels);
        INDArray dkp = Nd4j.zeros(type, out, in);
        for (int n = 0; n < batch; n++) {
            Nd4j.gemm(e13.slice(n), x3.slice(n), dkp, false, true, 1.0, 1.0);
        }
        gradients.get(ColoraLayer.POINTWISE).assign(dkp);
    }

    /** At init and after a merge: {@code Kp} drawn Glorot-uniform (times the gain), {@code Kd = 0}, {@code db = 0}. */
    @Override
    public void reset(Map<String, INDArray> params) {
        INDArray kp = params.get(ColoraLayer.POINTWISE);
        new WeightInitXavierUniform().init(in, out, kp.shape(), 'c', kp);
        kp.muli(config.pointwiseGain());
        params.get(ColoraLayer.DEPTHWISE).assign(0);
        if (bias) {
            params.get(ColoraLayer.BIAS_DELTA).assign(0);
        }
    }
}
