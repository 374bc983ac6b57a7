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
 *   group mode: Z = conv(x, Rst as [r·n3, C_in, kH, kW])   [N, r·n3, P]   base stride, padding and dilation
 *   taps mode:  Z = the tap windows of R'·x                  [N, P, r·n3]   ({@link TapsContraction})
 *   S = Cstᵀ · Σ_n δ_n · Z_n(ᵀ)                              [r·n3, r·n3]   folded into dL/d dU ({@link TcurMember#contribute})
 * </pre>
 *
 * The weight gradient {@code G} is never formed: in group mode block (a, b) of S is {@code C_aᵀ·G_l·R_bᵀ},
 * computed by a convolution with {@code r·n3} output channels instead of {@code C_out}; in taps mode S
 * gives {@code Σ_t Σ_(a+b+c ≡ t) C_aᵀ·G_t·R_bᵀ} from one 1x1 product and shifted additions.
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
        CurFactors factors = member.factors();
        int batch = (int) x.size(0);
        long pixels = (long) g.outH() * g.outW();
        INDArray right;
        if (member.taps()) {
            INDArray reversed = factors.reversedRst(type);
            right = TapsContraction.windows(x.permute(0, 2, 3, 1), reversed, layer.getTcurlora().rank(),
                    new int[] {g.kernelH(), g.kernelW()}, new int[] {g.strideH(), g.strideW()},
                    new int[] {g.dilationH(), g.dilationW()}, new int[] {g.padTop(), g.padLeft()},
                    new int[] {g.outH(), g.outW()}).reshape('c', batch, pixels, reversed.size(0));
        } else {
            INDArray rst = factors.rst(type);
            long side = rst.size(0);
            INDArray z = Nd4j.createUninitialized(type, g.outputShape(batch, side), 'c');
            ConvolutionOps.forward(x, rst.reshape('c', side, in, kernelH, kernelW), null, g, z);
            right = z.reshape('c', batch, side, pixels);
        }
        member.contribute(ConvolutionOps.contiguous(delta).reshape('c', batch, delta.size(1), pixels), right, gradients);
    }

    @Override
    public void reset(Map<String, INDArray> params) {
        member.reset();
    }
}
