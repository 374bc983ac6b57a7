package org.peft4j.clora;

import java.util.Arrays;
import java.util.HashMap;
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
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.conv3d.Conv3dGeometry;
import org.peft4j.conv3d.NativeConv3d;
import org.peft4j.layers.PreActivationCache;
import org.peft4j.spi.MergeableLayer;

/**
 * Runtime of {@link CloraConvolution3DLayer}: forward pass and input gradient with the merged kernel
 * {@code K0 + ΔK} through libnd4j's native 3D convolution ({@link NativeConv3d}), as DL4J computes them; a
 * training forward pass keeps {@code z} for the backward pass ({@link PreActivationCache}). The branch's
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
public class CloraConv3dRuntime extends BaseLayer<CloraConvolution3DLayer> implements MergeableLayer {

    private final transient CloraMember member;
    private final transient PreActivationCache preActivations = new PreActivationCache();

    CloraConv3dRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        this.member = new CloraMember((CloraConvolution3DLayer) conf.getLayer());
    }

    CloraMember member() {
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
        NativeConv3d.forward(x, mergedKernel(), hasBias() ? getParam(CloraLayer.BIAS).reshape(layerConf().getNOut()) : null,
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
        INDArray inputGrad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        NativeConv3d.inputGradient(delta, mergedKernel(), geometry, inputGrad);
        branchGradients(x, delta, geometry);
        Gradient gradient = new DefaultGradient();
        for (String key : layerConf().adapterKeys()) {
            gradient.setGradientFor(key, gradientViews.get(key));
        }
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(inputGrad));
    }

    /** {@code dA}, {@code dB} as in the class comment, handed to {@link CloraMember#backward}. */
    private void branchGradients(INDArray x, INDArray delta, Conv3dGeometry geometry) {
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
        INDArray e = Nd4j.gemm(deltaRows, b, false, false).muli(s);
        long[] eShape = geometry.channelsLastShape(batch, width, true);
        INDArray eVolume = e.reshape('c', eShape);
        if (geometry.ncdhw()) {
            eVolume = eVolume.permute(0, 4, 1, 2, 3).dup('c');
        }
        INDArray gradA = Nd4j.createUninitialized(dataType, a.shape(), 'c');
        INDArray unusedInputGrad = Nd4j.createUninitialized(dataType, x.shape(), 'c');
        NativeConv3d.backprop(x, a, eVolume, geometry, unusedInputGrad, gradA, null);
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
    public void clear() {
        super.clear();
        preActivations.clear();
    }

    @Override
    public Map<String, INDArray> baseDelta() {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            Map<String, INDArray> delta = new HashMap<>();
            delta.put(CloraLayer.WEIGHT, kernelDelta());
            return delta;
        }
    }

    @Override
    public void resetAdapter() {
        member.reset(paramTable());
    }

    @Override
    public Map<String, String> adapterState() {
        return member.state();
    }

    /** {@code ΔK} [C_out, C_in, kD, kH, kW] in the data type of {@code W}. */
    private INDArray kernelDelta() {
        INDArray w = getParam(CloraLayer.WEIGHT);
        return member.kernelDelta(getParam(CloraLayer.MIX), w.dataType(), w.shape());
    }

    /** {@code K0 + ΔK} [C_out, C_in, kD, kH, kW]. */
    private INDArray mergedKernel() {
        return kernelDelta().addi(getParam(CloraLayer.WEIGHT));
    }

    private Conv3dGeometry geometry(INDArray x) {
        Conv3dGeometry geometry = Conv3dGeometry.of(layerConf(), x);
        long channels = geometry.ncdhw() ? x.size(1) : x.size(4);
        if (channels != layerConf().getNIn()) {
            throw new DL4JInvalidInputException("clora layer '" + layerConf().getLayerName() + "' expects "
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
