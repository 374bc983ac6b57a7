package org.peft4j.conv3d;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.params.Convolution3DParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.layers.PreActivationCache;
import org.peft4j.spi.AdaptedLayer;
import org.peft4j.spi.MergeableLayer;

/**
 * Runtime of an adapted {@link Convolution3D} (NCDHW or NDHWC) whose whole effect is a change of the kernel:
 * {@code z = (K0 + ΔK) ⊛ x + b0}, {@code out = act(z)}, {@code K0 [C_out, C_in, kD, kH, kW]}. The forward pass
 * and the input gradient run with the merged kernel through libnd4j's native 3D convolution
 * ({@link NativeConv3d}), as DL4J computes them; a training forward pass keeps {@code z} for the backward pass
 * ({@link PreActivationCache}). A subclass gives {@code ΔK} and the adapter's own parameter gradients; the
 * kernel gradient of {@code K0} is never computed and the {@code W}/{@code b} gradient views stay zero.
 *
 * @param <L> the adapted layer configuration
 */
public abstract class MergedConv3dRuntime<L extends Convolution3D & AdaptedLayer> extends BaseLayer<L>
        implements MergeableLayer {

    private static final String WEIGHT = Convolution3DParamInitializer.WEIGHT_KEY;
    private static final String BIAS = Convolution3DParamInitializer.BIAS_KEY;

    private final transient PreActivationCache preActivations = new PreActivationCache();

    protected MergedConv3dRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** {@code ΔK [C_out, C_in, kD, kH, kW]}, a new array in {@code type}. */
    protected abstract INDArray kernelDelta(DataType type);

    /**
     * Writes the adapter's parameter gradients into {@link #gradientViews}.
     *
     * @param x     the layer input in the geometry's format, in the layer's data type
     * @param delta {@code δ = dL/dz} in the geometry's format
     */
    protected abstract void adapterGradients(INDArray x, INDArray delta, Conv3dGeometry geometry);

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
        NativeConv3d.forward(x, mergedKernel(), hasBias() ? getParam(BIAS).reshape(layerConf().getNOut()) : null,
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
        adapterGradients(x, delta, geometry);
        Gradient gradient = new DefaultGradient();
        for (String key : layerConf().adapterKeys()) {
            gradient.setGradientFor(key, gradientViews.get(key));
        }
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(inputGrad));
    }

    @Override
    public void clear() {
        super.clear();
        preActivations.clear();
    }

    /** {@code W: ΔK}, computed in double. */
    @Override
    public Map<String, INDArray> baseDelta() {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            Map<String, INDArray> delta = new HashMap<>();
            delta.put(WEIGHT, kernelDelta(DataType.DOUBLE).reshape('c', getParam(WEIGHT).shape()));
            return delta;
        }
    }

    /** {@code K0 + ΔK} [C_out, C_in, kD, kH, kW]. */
    private INDArray mergedKernel() {
        INDArray w = getParam(WEIGHT);
        return kernelDelta(w.dataType()).reshape('c', w.shape()).addi(w);
    }

    private Conv3dGeometry geometry(INDArray x) {
        Conv3dGeometry geometry = Conv3dGeometry.of(layerConf(), x);
        long channels = geometry.ncdhw() ? x.size(1) : x.size(4);
        if (channels != layerConf().getNIn()) {
            throw new DL4JInvalidInputException(layerConf().methodName() + " layer '" + layerConf().getLayerName()
                    + "' expects " + layerConf().getNIn() + " input channels, got input of shape "
                    + Arrays.toString(x.shape()));
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
