package org.peft4j.tcurlora;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.layers.ConvBranch;
import org.peft4j.layers.ConvGeometry;
import org.peft4j.layers.ConvolutionOps;

/**
 * tCURLoRA on a 1D or 2D convolution as a {@link ConvBranch}: the merged-kernel runtimes run the forward
 * pass and the input gradient with {@code K0 + ΔK} ({@link TensorCur}), and this branch computes only the
 * layer's share of the core gradient from factor contractions (METHODS-NEXT §1, "fast path"), with
 * {@code x [N, C_in, H, W]} and {@code δ = dL/dz [N, C_out, oH, oW]}, {@code P = oH·oW}:
 *
 * <pre>
 *   Z = conv(x, Kz as [r·n3, C_in, kH, kW])    [N, r·n3, oH, oW]   base stride, padding and dilation
 *   T = Σ_n δ_n · Z_nᵀ                          [C_out, r·n3]
 *   S = Cstᵀ · T                                [r·n3, r·n3]        folded into dL/d dU by {@link TcurMember#contribute}
 * </pre>
 *
 * {@code Kz} is {@link TcurMember#contractionKernel}: {@code Rst} in group mode (then block (a, b) of S is
 * {@code C_aᵀ·G_l·R_bᵀ}), the shifted taps kernel in taps mode. The weight gradient {@code G} is never
 * formed; the extra convolution has {@code r·n3} output channels where the weight gradient would cost
 * {@code C_out}.
 */
final class TcurConvBranch implements ConvBranch {

    private final TcurLayer layer;
    private final TcurMember member;
    private final long in;
    private final int kernelH;
    private final int kernelW;

    TcurConvBranch(TcurLayer layer, long in, int kernelH, int kernelW) {
        this.layer = layer;
        this.member = new TcurMember(layer);
        this.in = in;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
    }

    TcurMember member() {
        return member;
    }

    @Override
    public List<String> keys() {
        return layer.adapterKeys();
    }

    @Override
    public INDArray kernelDelta(Map<String, INDArray> params) {
        INDArray delta = member.kernelDelta(params.get(TcurLayer.WEIGHT).dataType(), in, (long) kernelH * kernelW);
        return delta.reshape('c', delta.size(0), in, kernelH, kernelW);
    }

    @Override
    public INDArray biasDelta(Map<String, INDArray> params) {
        return null;
    }

    @Override
    public void backward(Map<String, INDArray> params, INDArray x, INDArray delta, ConvGeometry g,
            Map<String, INDArray> gradients) {
        DataType type = x.dataType();
        INDArray kernel = member.contractionKernel(type);
        long side = kernel.size(0);
        int batch = (int) x.size(0);
        long pixels = (long) g.outH() * g.outW();
        INDArray z = Nd4j.createUninitialized(type, g.outputShape(batch, side), 'c');
        ConvolutionOps.forward(x, kernel.reshape('c', side, in, kernelH, kernelW), null, g, z);
        member.contribute(ConvolutionOps.contiguous(delta).reshape('c', batch, delta.size(1), pixels),
                z.reshape('c', batch, side, pixels), gradients);
    }

    @Override
    public void reset(Map<String, INDArray> params) {
        member.reset();
    }
}
