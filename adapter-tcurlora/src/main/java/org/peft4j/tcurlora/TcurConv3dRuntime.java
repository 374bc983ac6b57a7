package org.peft4j.tcurlora;

import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.conv3d.Conv3dGeometry;
import org.peft4j.conv3d.NativeConv3d;
import org.peft4j.layers.PreActivationCache;
import org.peft4j.spi.MergeableLayer;

/**
 * Runtime of {@link TcurloraConvolution3DLayer}: forward and input gradient with the merged kernel
 * {@code K0 + ΔK} through libnd4j's native 3D convolution ({@link NativeConv3d}), as DL4J computes them;
 * a training forward pass keeps {@code z} for the backward pass ({@link PreActivationCache}).
 * The core gradient from factor contractions as for 2D ({@link TcurConvBranch}), with {@code δ = dL/dz}:
 * {@code Z = conv(x, Kz as [r·n3, C_in, kD, kH, kW])} ({@link TcurMember#contractionKernel}, either mode),
 * {@code S = Cstᵀ·Σ_n δ_n·Z_nᵀ}; the kernel gradient is never formed.
 */
public class TcurConv3dRuntime extends BaseLayer<TcurloraConvolution3DLayer> implements MergeableLayer {

    private final transient TcurMember member;
    private final transient PreActivationCache preActivations = new PreActivationCache();

    TcurConv3dRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        this.member = new TcurMember((TcurloraConvolution3DLayer) conf.getLayer());
    }

    TcurMember member() {
        return member;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray z = preOutput(training, workspaceMgr);
        if (training) {
            preActivations.store(z, input);
            z = workspaceMgr.dup(ArrayType.ACTIVATIONS, z, 'c');
        }
        return layerConf().getActivationFn().getActivation(z, training);
    }

    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray x = input.castTo(dataType);
        Conv3dGeometry geometry = geometry(x);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                geometry.shape(x.size(0), layerConf().getNOut(), true), 'c');
        NativeConv3d.forward(x, mergedKernel(), hasBias() ? getParam(TcurLayer.BIAS).reshape(layerConf().getNOut()) : null,
                geometry, out);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray x = input.castTo(dataType);
        Conv3dGeometry geometry = geometry(x);
        INDArray pre = preActivations.take(input);
        if (pre == null) {
            pre = preOutput(true, workspaceMgr);
        }
        INDArray delta = layerConf().getActivationFn().backprop(pre, epsilon.castTo(dataType)).getFirst();
        INDArray kernel = mergedKernel();
        INDArray inputGrad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        NativeConv3d.inputGradient(delta, kernel, geometry, inputGrad);
        INDArray contraction = member.contractionKernel(dataType);
        long side = contraction.size(0);
        int batch = (int) x.size(0);
        long[] k = kernel.shape();
        INDArray z = Nd4j.createUninitialized(dataType, geometry.shape(batch, side, true), 'c');
        NativeConv3d.forward(x, contraction.reshape('c', side, k[1], k[2], k[3], k[4]), null, geometry, z);
        member.contribute(channelsFirst(delta, geometry, batch), channelsFirst(z, geometry, batch), gradientViews);
        Gradient gradient = new DefaultGradient();
        for (String key : layerConf().adapterKeys()) {
            gradient.setGradientFor(key, gradientViews.get(key));
        }
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(inputGrad));
    }

    /** {@code a} [N, C, D, H, W] or [N, D, H, W, C] as [N, C, D·H·W], c order. */
    private static INDArray channelsFirst(INDArray a, Conv3dGeometry geometry, int batch) {
        INDArray ncdhw = geometry.ncdhw() ? a : a.permute(0, 4, 1, 2, 3);
        long channels = ncdhw.size(1);
        return ncdhw.dup('c').reshape('c', batch, channels, ncdhw.length() / batch / channels);
    }

    @Override
    public void clear() {
        super.clear();
        preActivations.clear();
    }

    @Override
    public Map<String, INDArray> baseDelta() {
        INDArray w = getParam(TcurLayer.WEIGHT);
        return member.baseDelta(w, w.size(1), w.length() / w.size(0) / w.size(1));
    }

    @Override
    public void resetAdapter() {
        member.reset();
    }

    @Override
    public Map<String, String> adapterState() {
        return member.state();
    }

    /** {@code K0 + ΔK} [C_out, C_in, kD, kH, kW]. */
    private INDArray mergedKernel() {
        INDArray w = getParam(TcurLayer.WEIGHT);
        INDArray delta = member.kernelDelta(w.dataType(), w.size(1), w.length() / w.size(0) / w.size(1));
        return delta.reshape('c', w.shape()).addi(w);
    }

    private Conv3dGeometry geometry(INDArray x) {
        Conv3dGeometry geometry = Conv3dGeometry.of(layerConf(), x);
        long channels = geometry.ncdhw() ? x.size(1) : x.size(4);
        if (channels != layerConf().getNIn()) {
            throw new DL4JInvalidInputException("tcurlora layer '" + layerConf().getLayerName() + "' expects "
                    + layerConf().getNIn() + " input channels, got input of shape " + Arrays.toString(x.shape()));
        }
        return geometry;
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return layerConf().hasBias();
    }
}
