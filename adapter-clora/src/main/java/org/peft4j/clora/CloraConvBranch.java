package org.peft4j.clora;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.layers.ConvBranch;
import org.peft4j.layers.ConvGeometry;
import org.peft4j.layers.ConvolutionOps;

/**
 * The maths of CLoRA on a 2D convolution, and on a 1D one as the 2D one over {@code [N, C_in, 1, L]} with
 * {@code kH = 1}. With the module's effective down kernels {@code A = (Dcat·blockdiag(Q))ᵀ [p·r, C_in·kH·kW]}
 * and the up map {@code B = Ucatᵀ = U [C_out, p·r]}, the branch conv → Q → 1x1 is the kernel
 * {@code ΔK = s·B·A} (reshaped to {@code [C_out, C_in, kH, kW]}), so the forward pass and the input gradient
 * run as ONE convolution with {@code K0 + ΔK} ({@link org.peft4j.layers.MergedConvRuntime},
 * {@link org.peft4j.layers.MergedConv1dRuntime}). Parameter gradients, with {@code cols(x)} x's im2col
 * {@code [N, C_in·kH·kW, outH·outW]} and {@code δ = dL/dz}, per example n:
 * {@code Y = A·cols[n]}, {@code dB += s·δ[n]·Yᵀ}, {@code E = s·Bᵀ·δ[n]}, {@code Zᵀ += E·cols[n]ᵀ}; then
 * {@code Z = dL/dAᵀ [C_in·kH·kW, p·r]} goes to {@link CloraMember#backward}. The weight gradient of
 * {@code K0} is never formed.
 */
final class CloraConvBranch implements ConvBranch {

    private final CloraConvLayer layer;
    private final CloraMember member;
    private final int kernelH;
    private final int kernelW;

    /** The branch of a 2D layer, {@code kH x kW} from its kernel size. */
    CloraConvBranch(CloraConvolutionLayer layer) {
        this(layer, layer.getKernelSize()[0], layer.getKernelSize()[1]);
    }

    /** The branch of a 1D layer: a {@code 1 x k} kernel. */
    CloraConvBranch(CloraConvolution1DLayer layer) {
        this(layer, 1, layer.getKernelSize()[0]);
    }

    private CloraConvBranch(CloraConvLayer layer, int kernelH, int kernelW) {
        this.layer = layer;
        this.member = new CloraMember(layer);
        this.kernelH = kernelH;
        this.kernelW = kernelW;
    }

    CloraMember member() {
        return member;
    }

    @Override
    public List<String> keys() {
        return layer.adapterKeys();
    }

    /** {@code ΔK = s·(Dcat·blockdiag(Q)·Ucat)ᵀ} [C_out, C_in, kH, kW]. */
    @Override
    public INDArray kernelDelta(Map<String, INDArray> params) {
        INDArray mix = params.get(CloraLayer.MIX);
        return member.kernelDelta(mix, mix.dataType(), layer.getNOut(), layer.getNIn(), kernelH, kernelW);
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
        long width = layer.getClora().width();
        long in = layer.inDim();
        long out = layer.getNOut();
        long pixels = (long) g.outH() * g.outW();
        double s = member.scale();
        INDArray mix = params.get(CloraLayer.MIX);
        INDArray a = member.downKernels(mix, type);
        INDArray b = member.upMap(type);
        INDArray delta3 = ConvolutionOps.contiguous(delta).reshape('c', batch, out, pixels);
        INDArray cols = ConvolutionOps.im2col(x, g).reshape('c', batch, in, pixels);
        INDArray gradB = Nd4j.zeros(type, out, width);
        INDArray gradA = Nd4j.zeros(type, width, in);
        INDArray y = Nd4j.createUninitialized(type, new long[] {width, pixels}, 'c');
        INDArray e = Nd4j.createUninitialized(type, new long[] {width, pixels}, 'c');
        for (long n = 0; n < batch; n++) {
            INDArray columns = cols.slice(n);
            Nd4j.gemm(a, columns, y, false, false, 1.0, 0.0);
            Nd4j.gemm(delta3.slice(n), y, gradB, false, true, s, 1.0);
            Nd4j.gemm(b, delta3.slice(n), e, true, false, s, 0.0);
            Nd4j.gemm(e, columns, gradA, false, true, 1.0, 1.0);
        }
        member.backward(batch, mix, gradA.transpose(), gradB.transpose(), gradients);
    }

    @Override
    public void reset(Map<String, INDArray> params) {
        member.reset(params);
    }
}
