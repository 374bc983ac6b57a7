package org.peft4j.tcurlora;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.conv3d.Conv3dGeometry;
import org.peft4j.conv3d.MergedConv3dRuntime;
import org.peft4j.conv3d.NativeConv3d;

/**
 * Runtime of {@link TcurloraConvolution3DLayer}: forward and input gradient with the merged kernel
 * {@code K0 + ΔK} ({@link MergedConv3dRuntime}), {@code ΔK} from the core of the layer's tensor ({@link TensorCur}).
 * The core gradient from factor contractions as for 2D ({@link TcurConvBranch}), with {@code δ = dL/dz}:
 * {@code Z = conv(x, Kz as [r·n3, C_in, kD, kH, kW])} ({@link TcurMember#contractionKernel}, either mode),
 * {@code S = Cstᵀ·Σ_n δ_n·Z_nᵀ}; the kernel gradient is never formed.
 */
public class TcurConv3dRuntime extends MergedConv3dRuntime<TcurloraConvolution3DLayer> {

    private final transient TcurMember member;

    TcurConv3dRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        this.member = new TcurMember((TcurloraConvolution3DLayer) conf.getLayer());
    }

    TcurMember member() {
        return member;
    }

    @Override
    protected INDArray kernelDelta(DataType type) {
        INDArray w = getParam(TcurLayer.WEIGHT);
        return member.kernelDelta(type, w.size(1), w.length() / w.size(0) / w.size(1));
    }

    @Override
    protected void adapterGradients(INDArray x, INDArray delta, Conv3dGeometry geometry) {
        INDArray contraction = member.contractionKernel(dataType);
        long side = contraction.size(0);
        int batch = (int) x.size(0);
        long[] k = getParam(TcurLayer.WEIGHT).shape();
        INDArray z = Nd4j.createUninitialized(dataType, geometry.shape(batch, side, true), 'c');
        NativeConv3d.forward(x, contraction.reshape('c', side, k[1], k[2], k[3], k[4]), null, geometry, z);
        member.contribute(channelsFirst(delta, geometry, batch), channelsFirst(z, geometry, batch), gradientViews);
    }

    /** {@code a} [N, C, D, H, W] or [N, D, H, W, C] as [N, C, D·H·W], c order. */
    private static INDArray channelsFirst(INDArray a, Conv3dGeometry geometry, int batch) {
        INDArray ncdhw = geometry.ncdhw() ? a : a.permute(0, 4, 1, 2, 3);
        long channels = ncdhw.size(1);
        return ncdhw.dup('c').reshape('c', batch, channels, ncdhw.length() / batch / channels);
    }

    @Override
    public void resetAdapter() {
        member.reset();
    }

    @Override
    public Map<String, String> adapterState() {
        return member.state();
    }
}
