package org.peft4j.tcurlora;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
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
 *   E_n = Cstᵀ · δ_n                                       [r·n3, P]   (a 1x1 step)
 *   group mode: Z = conv(x, Rst as [r·n3, C_in, kH, kW])   [N, r·n3, oH, oW], base stride/padding/dilation
 *               S_l = Σ_n E_n · Z_nᵀ                        [r·n3, r·n3]
 *   taps mode:  Z_n = Rst · cols(x_n)                       [r·n3, taps, P]  (cols: the im2col of x_n)
 *               S_t = Σ_n E_n · Z_n[:, t, :]ᵀ               per tap t
 *               (or S_t = Cstᵀ·G[:, :, t]·Rstᵀ from the kernel gradient G when that is cheaper, see
 *               {@link #kernelGradientIsCheaper})
 * </pre>
 *
 * {@code S_l = Cstᵀ·G_l·Rstᵀ} without ever forming the weight gradient {@code G_l}; the group mode's
 * extra convolution has {@code r·n3} output channels instead of {@code C_out}.
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
        INDArray cstT = factors.cst(type).transpose();
        INDArray rst = factors.rst(type);
        long side = rst.size(0);
        int batch = (int) x.size(0);
        long pixels = (long) g.outH() * g.outW();
        INDArray d3 = ConvolutionOps.contiguous(delta).reshape('c', batch, delta.size(1), pixels);
        TcurPlacement placement = layer.getPlacement();
        if (!placement.taps()) {
            INDArray z = Nd4j.createUninitialized(type, g.outputShape(batch, side), 'c');
            ConvolutionOps.forward(x, rst.reshape('c', side, in, kernelH, kernelW), null, g, z);
            INDArray z3 = z.reshape('c', batch, side, pixels);
            INDArray s = Nd4j.zeros(type, side, side);
            for (int n = 0; n < batch; n++) {
                Nd4j.gemm(cstT.mmul(d3.slice(n)), z3.slice(n), s, false, true, 1.0, 1.0);
            }
            member.contribute(new INDArray[] {s}, gradients);
            return;
        }
        int taps = kernelH * kernelW;
        long out = delta.size(1);
        INDArray cols = ConvolutionOps.im2col(x, g).reshape('c', batch, in * taps, pixels);
        INDArray[] s = new INDArray[taps];
        if (kernelGradientIsCheaper(out, in, side, taps)) {
            INDArray grad = Nd4j.zeros(type, out, in * taps);
            for (int n = 0; n < batch; n++) {
                Nd4j.gemm(d3.slice(n), cols.slice(n), grad, false, true, 1.0, 1.0);
            }
            INDArray g3 = grad.reshape('c', out, in, taps);
            for (int t = 0; t < taps; t++) {
                s[t] = cstT.mmul(g3.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t))).mmul(rst.transpose());
            }
            member.contribute(s, gradients);
            return;
        }
        INDArray colsByChannel = cols.reshape('c', batch, in, (long) taps * pixels);
        for (int t = 0; t < taps; t++) {
            s[t] = Nd4j.zeros(type, side, side);
        }
        for (int n = 0; n < batch; n++) {
            INDArray e = cstT.mmul(d3.slice(n));
            INDArray z = rst.mmul(colsByChannel.slice(n)).reshape('c', side, taps, pixels);
            for (int t = 0; t < taps; t++) {
                INDArray zt = z.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all());
                Nd4j.gemm(e, zt.dup('c'), s[t], false, true, 1.0, 1.0);
            }
        }
        member.contribute(s, gradients);
    }

    /**
     * Taps mode: whether the layer's kernel gradient {@code G} ({@code C_out·C_in·taps} multiply-adds per output
     * position) costs less than the factor route ({@code r·n3·C_in·taps} for {@code Z}, {@code taps·(r·n3)²} for
     * the per-tap {@code S_t} and {@code r·n3·C_out} for {@code E}, with n3 = taps). With n3 = taps the factor route grows
     * with the cube of the taps, so for small channel counts (vgg-mini's 32-128) the kernel gradient wins;
     * {@code S_t = Cstᵀ·G[:, :, t]·Rstᵀ} is then formed from it.
     */
    static boolean kernelGradientIsCheaper(long out, long in, long side, int taps) {
        return out * in * taps < side * in * taps + taps * side * side + side * out;
    }

    @Override
    public void reset(Map<String, INDArray> params) {
        member.reset();
    }
}
