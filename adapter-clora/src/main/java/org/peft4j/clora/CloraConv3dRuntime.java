package org.peft4j.clora;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.conv3d.Conv3dGeometry;
import org.peft4j.conv3d.MergedConv3dRuntime;
import org.peft4j.conv3d.NativeConv3d;
import org.peft4j.conv3d.SingleNd4jThread;
import org.peft4j.layers.ConvolutionOps;

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
        try (SingleNd4jThread ignored = SingleNd4jThread.enter()) {
            return member.kernelDelta(getParam(CloraLayer.MIX), type, getParam(CloraLayer.WEIGHT).shape());
        }
    }

    /** {@code dA}, {@code dB} as in the class comment, handed to {@link CloraMember#backward}. */
    @Override
    protected void adapterGradients(INDArray x, INDArray delta, Conv3dGeometry geometry) {
        CloraConvolution3DLayer conf = layerConf();
        long batch = x.size(0);
        long width = conf.getClora().width();
        INDArray mix = getParam(CloraLayer.MIX);
        INDArray a = member.downKernels(mix, dataType).reshape('c', conf.downShape());
        INDArray y = Nd4j.createUninitialized(dataType, geometry.shape(batch, width, true), 'c');
        NativeConv3d.forward(x, a, null, geometry, y);
        INDArray gradB = Nd4j.zeros(dataType, conf.getNOut(), width);
        INDArray e = Nd4j.createUninitialized(dataType, y.shape(), 'c');
        upGradients(ConvolutionOps.contiguous(delta), y, member.upMap(dataType), geometry, gradB, e);
        INDArray gradA = Nd4j.createUninitialized(dataType, a.shape(), 'c');
        INDArray unusedInputGrad = Nd4j.createUninitialized(dataType, x.shape(), 'c');
        NativeConv3d.backprop(x, a, e, geometry, unusedInputGrad, gradA, null);
        // the pool and SADE gradients are many small ops: one thread avoids OpenMP's per-op cost
        try (SingleNd4jThread ignored = SingleNd4jThread.enter()) {
            member.backward(batch, mix, gradA.reshape('c', width, conf.inDim()).transpose(), gradB.transpose(),
                    gradientViews);
        }
    }

    /**
     * {@code dB = s·Σ_n δ_n·Y_nᵀ} into {@code gradB} [C_out, p·r] and {@code E = s·Bᵀ·δ} into {@code e} (the shape of
     * {@code y}), with gemms on the arrays as they lie: per example over {@code [C, D·H·W]} in NCDHW, at once over
     * rows {@code [N·D·H·W, C]} in NDHWC.
     */
    private void upGradients(INDArray delta, INDArray y, INDArray b, Conv3dGeometry geometry, INDArray gradB, INDArray e) {
        double s = member.scale();
        long batch = y.size(0);
        long width = b.size(1);
        long out = b.size(0);
        if (!geometry.ncdhw()) {
            long rows = y.length() / width;
            INDArray deltaRows = delta.reshape('c', rows, out);
            Nd4j.gemm(deltaRows, y.reshape('c', rows, width), gradB, true, false, s, 0.0);
            Nd4j.gemm(deltaRows, b, e.reshape('c', rows, width), false, false, s, 0.0);
            return;
        }
        long voxels = y.length() / batch / width;
        INDArray delta3 = delta.reshape('c', batch, out, voxels);
        INDArray y3 = y.reshape('c', batch, width, voxels);
        INDArray e3 = e.reshape('c', batch, width, voxels);
        for (long n = 0; n < batch; n++) {
            Nd4j.gemm(delta3.slice(n), y3.slice(n), gradB, false, true, s, 1.0);
            Nd4j.gemm(b, delta3.slice(n), e3.slice(n), true, false, s, 0.0);
        }
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
