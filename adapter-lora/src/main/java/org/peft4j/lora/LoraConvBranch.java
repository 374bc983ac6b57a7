package org.peft4j.lora;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.layers.ConvBranch;
import org.peft4j.layers.ConvGeometry;
import org.peft4j.layers.ConvolutionOps;

/**
 * The maths of LoRA on a convolution, as Hugging Face PEFT builds it for {@code nn.Conv1d/2d}: a
 * down convolution {@code A} (C_in -> r, the base kernel size, stride, padding and dilation, no
 * bias) followed by a 1x..x1 up convolution {@code B} (r -> C_out), scaled by {@code s = alpha / r}:
 *
 * <pre>
 *   z  = K0 ⊛ x + b0 + s·B ⊛ (A ⊛ x)          A [r, C_in, kH, kW], B [C_out, r]
 *   ΔK[o, c, i, j] = s·Σ_r B[o, r]·A[r, c, i, j]   so  s·B ⊛ (A ⊛ x) = ΔK ⊛ x   (merge: K0 += ΔK)
 * </pre>
 *
 * With {@code δ = dL/dz} and {@code cols(x)} x's im2col {@code [N, C_in·kH·kW, outH·outW]}, per
 * example n: {@code Y[n] = A·cols[n]} (the down convolution), {@code dB = s·Σ_n δ[n]·Y[n]ᵀ},
 * {@code δA[n] = s·Bᵀ·δ[n]} and {@code dA = Σ_n δA[n]·cols[n]ᵀ}: one im2col of the input and gemms
 * with r rows, r / C_out of the base kernel's weight gradient. The forward pass and the input gradient use {@code K0 + ΔK} ({@link ConvBranch}).
 * Dropout on the branch input would break that identity, so lora-conv needs dropout 0.
 */
final class LoraConvBranch implements ConvBranch {

    private final LoraConfig config;
    private final long out;
    private final long in;
    private final int[] kernel;

    LoraConvBranch(LoraConvLayer layer) {
        this.config = layer.getLora();
        this.out = layer.getNOut();
        this.in = layer.getNIn();
        this.kernel = layer.kernelHW();
    }

    /** Draws {@code A} and zeroes {@code B}. */
    static void initialise(LoraConvLayer layer, Map<String, INDArray> params) {
        new LoraConvBranch(layer).reset(params);
    }

    @Override
    public List<String> keys() {
        return List.of(LoraConvLayer.A, LoraConvLayer.B);
    }

    /** {@code ΔK = s·B·A} [C_out, C_in, kH, kW]. */
    @Override
    public INDArray kernelDelta(Map<String, INDArray> params) {
        INDArray a = params.get(LoraConvLayer.A).reshape('c', config.rank(), in * taps());
        INDArray delta = params.get(LoraConvLayer.B).mmul(a).muli(config.scale());
        return delta.reshape('c', out, in, kernel[0], kernel[1]);
    }

    @Override
    public INDArray biasDelta(Map<String, INDArray> params) {
        return null;
    }

    @Override
    public void backward(Map<String, INDArray> params, INDArray x, INDArray delta, ConvGeometry g,
            Map<String, INDArray> gradients) {
        DataType type = x.dataType();
        long batch = x.size(0);
        long rank = config.rank();
        long pixels = (long) g.outH() * g.outW();
        INDArray a = params.get(LoraConvLayer.A).reshape('c', rank, in * taps());
        INDArray b = params.get(LoraConvLayer.B);
        INDArray delta3 = ConvolutionOps.contiguous(delta).reshape('c', batch, out, pixels);
        INDArray cols = ConvolutionOps.im2col(x, g).reshape('c', batch, in * taps(), pixels);
        INDArray gradB = Nd4j.zeros(type, out, rank);
        INDArray gradA = Nd4j.zeros(type, rank, in * taps());
        INDArray y = Nd4j.createUninitialized(type, new long[] {rank, pixels}, 'c');
        INDArray deltaA = Nd4j.createUninitialized(type, new long[] {rank, pixels}, 'c');
        for (long n = 0; n < batch; n++) {
            INDArray columns = cols.slice(n);
            Nd4j.gemm(a, columns, y, false, false, 1.0, 0.0);
            Nd4j.gemm(delta3.slice(n), y, gradB, false, true, config.scale(), 1.0);
            Nd4j.gemm(b, delta3.slice(n), deltaA, true, false, config.scale(), 0.0);
            Nd4j.gemm(deltaA, columns, gradA, false, true, 1.0, 1.0);
        }
        gradients.get(LoraConvLayer.B).assign(gradB);
        gradients.get(LoraConvLayer.A).assign(gradA.reshape(gradients.get(LoraConvLayer.A).shape()));
    }

    /** At init and after a merge: {@code B = 0}, {@code A} re-drawn. */
    @Override
    public void reset(Map<String, INDArray> params) {
        params.get(LoraConvLayer.B).assign(0);
        config.init().initialize(params.get(LoraConvLayer.A), in * taps(), config.rank());
    }

    private long taps() {
        return (long) kernel[0] * kernel[1];
    }
}
