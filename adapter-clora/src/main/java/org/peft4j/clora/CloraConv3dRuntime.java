package org.peft4j.clora;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.conv3d.Conv3dGeometry;
import org.peft4j.conv3d.MergedConv3dRuntime;
import org.peft4j.conv3d.NativeConv3d;

/**
 * Runtime of {@link CloraConvolution3DLayer}: forward pass and input gradient with the merged kernel
 * {@code K0 + ΔK} ({@link MergedConv3dRuntime}, libnd4j's native 3D convolution). The branch's
 * parameter gradients, with {@code A = (Dcat·blockdiag(Q))ᵀ} as kernels {@code [p·r, C_in, kD, kH, kW]},
 * {@code B = U [C_out, p·r]} and {@code δ = dL/dz}, over all examples n and output voxels:
 *
 * <pre>
 *   Y  = conv(x, A)                          [N, p·r, oD, oH, oW]   the layer's stride, padding and dilation
 *   dB = s·Σ_n δ_n·Y_nᵀ                      [C_out, p·r]
 *   E  = s·Bᵀ·δ                              [N, p·r, oD, oH, oW]
 *   dA = the kernel gradient of conv(x, A) for the output gradient E   (conv3dnew_bp, p·r output channels)
 * </pre>
 *
 * then {@link CloraMember#backward} as for 2D. The kernel gradient of {@code K0} is never computed. The training
 * score adds this module's lambda·SADE.
 */
public class CloraConv3dRuntime extends MergedConv3dRuntime<CloraConvolution3DLayer> {

    private final transient CloraMember member;

    CloraConv3dRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        this.member = new CloraMember((CloraConvolution3DLayer) conf.getLayer());
    }

    CloraMember member() {
        return member;
    }

    /** {@code ΔK = s·(Dcat·blockdiag(Q)·Ucat)ᵀ} [C_out, C_in, kD, kH, kW] in {@code type}. */
    @Override
    protected INDArray kernelDelta(DataType type) {
        return member.kernelDelta(getParam(CloraLayer.MIX), type, getParam(CloraLayer.WEIGHT).shape());
    }

    /** {@code dA}, {@code dB} as in the class comment, handed to {@link CloraMember#backward}. */
    @Override
    protected void adapterGradients(INDArray x, INDArray delta, Conv3dGeometry geometry) {
        CloraConvolution3DLayer conf = layerConf();
        long batch = x.size(0);
        long width = conf.getClora().width();
        double s = member.scale();
        INDArray mix = getParam(CloraLayer.MIX);
        INDArray a = member.downKernels(mix, dataType).reshape('c', conf.downShape());
        INDArray b = member.upMap(dataType);
        INDArray y = Nd4j.createUninitialized(dataType, geometry.shape(batch, width, true), 'c');
        NativeConv3d.forward(x, a, null, geometry, y);
        INDArray deltaRows = channelsLast(delta, geometry);
        INDArray gradB = Nd4j.gemm(deltaRows, channelsLast(y, geometry), true, false).muli(s);
        INDArray e = Nd4j.gemm(deltaRows, b, false, false).muli(s).reshape('c', geometry.channelsLastShape(batch, width, true));
        if (geometry.ncdhw()) {
            e = e.permute(0, 4, 1, 2, 3).dup('c');
        }
        INDArray gradA = Nd4j.createUninitialized(dataType, a.shape(), 'c');
        INDArray unusedInputGrad = Nd4j.createUninitialized(dataType, x.shape(), 'c');
        NativeConv3d.backprop(x, a, e, geometry, unusedInputGrad, gradA, null);
        member.backward(batch, mix, gradA.reshape('c', width, conf.inDim()).transpose(), gradB.transpose(), gradientViews);
    }

    /** {@code a} [N, C, D, H, W] or [N, D, H, W, C] as rows [N·D·H·W, C], c order. */
    private static INDArray channelsLast(INDArray a, Conv3dGeometry geometry) {
        INDArray last = geometry.ncdhw() ? a.permute(0, 2, 3, 4, 1).dup('c') : a.dup('c');
        long channels = last.size(4);
        return last.reshape('c', last.length() / channels, channels);
    }

    /** The regularisation DL4J adds to the score (L1, L2 of the adapter keys) plus this module's lambda·SADE. */
    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        return super.calcRegularizationScore(backpropParamsOnly) + member.sadeScore(getParam(CloraLayer.MIX));
    }

    @Override
    public void resetAdapter() {
        member.reset(paramTable());
    }

    @Override
    public Map<String, String> adapterState() {
        return member.state();
    }
}
