package org.peft4j.colora3d;

import static org.peft4j.colora3d.Colora3dLayer.BIAS;
import static org.peft4j.colora3d.Colora3dLayer.BIAS_DELTA;
import static org.peft4j.colora3d.Colora3dLayer.DEPTHWISE;
import static org.peft4j.colora3d.Colora3dLayer.POINTWISE;
import static org.peft4j.colora3d.Colora3dLayer.WEIGHT;

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
import org.peft4j.conv3d.SingleNd4jThread;
import org.peft4j.spi.MergeableLayer;

/**
 * Runtime of {@link Colora3dLayer}; the maths is in {@link Colora3dBranch}.
 *
 * <p>A training forward pass keeps a copy of its pre-activation (one activation-sized buffer per
 * adapted layer, outside DL4J's workspaces, reused across iterations), so that the backward pass
 * needs no second convolution; DL4J's own Convolution3D layer recomputes it. The copy is used only
 * by the backward pass on the same input object right after that forward pass; any new input, an
 * inference pass or a used copy falls back to recomputing.
 */
public class Colora3dRuntime extends BaseLayer<Colora3dLayer> implements MergeableLayer {

    private INDArray preActivation;
    private INDArray preActivationInput;

    public Colora3dRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        preActivationInput = null;
        super.setInput(input, workspaceMgr);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray z = preOutput(training, workspaceMgr);
        preActivationInput = null;
        if (training) {
            try (SingleNd4jThread ignored = SingleNd4jThread.enter()) {
                keep(z);
            }
        }
        return layerConf().getActivationFn().getActivation(z, training);
    }

    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray x = input.castTo(dataType);
        Conv3dGeometry geometry = geometry(x);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                geometry.shape(x.size(0), layerConf().getNOut(), true), 'c');
        INDArray kernel;
        INDArray bias;
        try (SingleNd4jThread ignored = SingleNd4jThread.enter()) {
            kernel = mergedKernel();
            bias = mergedBias();
        }
        NativeConv3d.forward(x, kernel, bias, geometry, out);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray x = input.castTo(dataType);
        Conv3dGeometry geometry = geometry(x);
        INDArray z = preActivationInput == input ? preActivation : preOutput(true, workspaceMgr);
        preActivationInput = null;
        INDArray delta = layerConf().getActivationFn().backprop(z, epsilon.castTo(dataType)).getFirst();

        INDArray inputGrad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        INDArray kernel;
        try (SingleNd4jThread ignored = SingleNd4jThread.enter()) {
            kernel = mergedKernel();
        }
        INDArray gradDb = layerConf().hasBias() ? gradientViews.get(BIAS_DELTA) : null;
        // the native convolutions use ND4J's threads; the many smaller adapter ops run on one (SingleNd4jThread)
        if (Colora3dBranch.usesKernelGradient(layerConf().getNIn())) {
            INDArray kernelGrad = Nd4j.createUninitialized(dataType, kernel.shape());
            NativeConv3d.backprop(x, kernel, delta, geometry, inputGrad, kernelGrad, gradDb);
            try (SingleNd4jThread ignored = SingleNd4jThread.enter()) {
                Colora3dBranch.adapterGradientsFromKernelGradient(kernelGrad, getParam(POINTWISE), getParam(DEPTHWISE),
                        gradientViews.get(POINTWISE), gradientViews.get(DEPTHWISE));
            }
        } else {
            NativeConv3d.inputGradient(delta, kernel, geometry, inputGrad);
            try (SingleNd4jThread ignored = SingleNd4jThread.enter()) {
                Colora3dBranch.adapterGradients(x, delta, getParam(POINTWISE), getParam(DEPTHWISE), geometry,
                        gradientViews.get(POINTWISE), gradientViews.get(DEPTHWISE), gradDb);
            }
        }
        Gradient gradient = new DefaultGradient();
        for (String key : layerConf().adapterKeys()) {
            gradient.gradientForVariable().put(key, gradientViews.get(key));
        }
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(inputGrad));
    }

    /** {@code W: ΔK} [C_out, C_in, kD, kH, kW] and {@code b: db} [C_out]. */
    @Override
    public Map<String, INDArray> baseDelta() {
        Map<String, INDArray> delta = new HashMap<>();
        delta.put(WEIGHT, Colora3dBranch.detachedDeltaKernel(getParam(POINTWISE), getParam(DEPTHWISE)));
        if (layerConf().hasBias()) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                delta.put(BIAS, getParam(BIAS_DELTA).dup());
            }
        }
        return delta;
    }

    /** After a merge: {@code Kd = 0}, {@code db = 0}, {@code Kp} drawn afresh. */
    @Override
    public void resetAdapter() {
        getParam(DEPTHWISE).assign(0);
        if (layerConf().hasBias()) {
            getParam(BIAS_DELTA).assign(0);
        }
        Colora3dConfig config = layerConf().getColora();
        config.pointwiseInit().draw(getParam(POINTWISE), config.pointwiseGain());
        preActivationInput = null;
    }

    private INDArray mergedKernel() {
        return getParam(WEIGHT).add(Colora3dBranch.deltaKernel(getParam(POINTWISE), getParam(DEPTHWISE)));
    }

    private INDArray mergedBias() {
        return layerConf().hasBias() ? getParam(BIAS).add(getParam(BIAS_DELTA)) : null;
    }

    private Conv3dGeometry geometry(INDArray x) {
        Conv3dGeometry geometry = Conv3dGeometry.of(layerConf(), x);
        long channels = geometry.ncdhw() ? x.size(1) : x.size(4);
        if (channels != layerConf().getNIn()) {
            throw new DL4JInvalidInputException("colora3d layer '" + layerConf().getLayerName() + "' expects "
                    + layerConf().getNIn() + " input channels, got input of shape " + Arrays.toString(x.shape())
                    + " (" + layerConf().getDataFormat() + ")");
        }
        return geometry;
    }

    /** Copies {@code z} into the reusable buffer for the backward pass of this input. */
    private void keep(INDArray z) {
        if (preActivation == null || !Arrays.equals(preActivation.shape(), z.shape())
                || preActivation.dataType() != z.dataType()) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                preActivation = Nd4j.createUninitialized(z.dataType(), z.shape());
            }
        }
        preActivation.assign(z);
        preActivationInput = input;
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
