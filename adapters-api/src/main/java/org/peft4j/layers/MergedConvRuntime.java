package org.peft4j.layers;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.spi.MergeableLayer;

/**
 * Runtime of an adapted 2D convolution ({@code ConvolutionLayer}, NCHW or NHWC) whose adapter is a
 * {@link ConvBranch}: {@code z = (K0 + ΔK) ⊛ x + b0 + Δb}, {@code out = act(z)}.
 *
 * <ul>
 *   <li>Inference runs DL4J's own ConvolutionLayer code with the merged kernel and bias, so an
 *       adapter that is zero gives outputs bit-identical to the base layer, and a merged network
 *       computes exactly what this layer computes.</li>
 *   <li>A training forward pass runs one libnd4j {@code conv2d} with the merged kernel (about twice
 *       as fast here as DL4J's im2col route) and keeps {@code z} for the backward pass
 *       ({@link PreActivationCache}).</li>
 *   <li>The backward pass computes the input gradient with the merged kernel
 *       ({@link ConvolutionOps#inputGradient}) and asks the branch for its parameter gradients; the
 *       weight gradient of the frozen kernel is never computed and the {@code W}/{@code b} gradient
 *       views stay zero.</li>
 * </ul>
 */
public class MergedConvRuntime extends ConvolutionLayer implements MergeableLayer {

    private final transient ConvBranch branch;
    private final transient PreActivationCache cache = new PreActivationCache();

    public MergedConvRuntime(NeuralNetConfiguration conf, DataType dataType, ConvBranch branch) {
        super(conf, dataType);
        this.branch = branch;
    }

    /** DL4J's inference path reads the kernel and bias through here: hand it the merged ones. */
    @Override
    protected INDArray getParamWithNoise(String param, boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (ConvolutionParamInitializer.WEIGHT_KEY.equals(param)) {
            return mergedKernel();
        }
        if (ConvolutionParamInitializer.BIAS_KEY.equals(param) && hasBias()) {
            return mergedBias();
        }
        return super.getParamWithNoise(param, training, workspaceMgr);
    }

    /**
     * Inference: DL4J's own path (with the merged kernel, through {@link #getParamWithNoise}). Training:
     * one libnd4j convolution; {@code z} is kept for backprop and a copy goes on to the activation.
     */
    @Override
    protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        if (!training || forBackprop) {
            cache.clear();
            return super.preOutput(training, forBackprop, workspaceMgr);
        }
        assertInputSet(false);
        validateInputRank();
        validateInputDepth(layerConf().getNIn());
        INDArray x = ConvolutionOps.contiguous(ConvLayout.toNchw(layerConf(), input.castTo(dataType)));
        ConvGeometry g = ConvGeometry.of(layerConf(), x);
        INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                g.outputShape(x.size(0), layerConf().getNOut()), 'c');
        ConvolutionOps.forward(x, mergedKernel(), hasBias() ? mergedBias() : null, g, z);
        cache.store(z, input);
        return new Pair<>(workspaceMgr.dup(ArrayType.ACTIVATIONS, ConvLayout.fromNchw(layerConf(), z), 'c'), null);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray x = ConvolutionOps.contiguous(ConvLayout.toNchw(layerConf(), input.castTo(dataType)));
        ConvGeometry g = ConvGeometry.of(layerConf(), x);
        INDArray kernel = mergedKernel();
        INDArray z = cache.take(input);
        if (z == null) {
            z = Nd4j.createUninitialized(dataType, g.outputShape(x.size(0), layerConf().getNOut()), 'c');
            ConvolutionOps.forward(x, kernel, hasBias() ? mergedBias() : null, g, z);
        }
        INDArray eps = ConvLayout.toNchw(layerConf(), epsilon.castTo(dataType));
        INDArray delta = layerConf().getActivationFn().backprop(z, eps).getFirst();
        branch.backward(paramTable(), x, delta, g, gradientViews);
        INDArray epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                g.inputShape(x.size(0), x.size(1)), 'c');
        ConvolutionOps.inputGradient(delta, kernel, g, epsOut);
        Gradient gradient = new DefaultGradient();
        for (String key : branch.keys()) {
            gradient.setGradientFor(key, gradientViews.get(key));
        }
        epsOut = backpropDropOutIfPresent(epsOut);
        return new Pair<>(gradient, ConvLayout.fromNchw(layerConf(), epsOut));
    }

    @Override
    public Map<String, INDArray> baseDelta() {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            Map<String, INDArray> delta = new HashMap<>();
            INDArray w = getParam(ConvolutionParamInitializer.WEIGHT_KEY);
            delta.put(ConvolutionParamInitializer.WEIGHT_KEY, ConvLayout.weights(layerConf(),
                    branch.kernelDelta(paramTable()), w.shape()));
            INDArray bias = branch.biasDelta(paramTable());
            if (bias != null && hasBias()) {
                INDArray b = getParam(ConvolutionParamInitializer.BIAS_KEY);
                delta.put(ConvolutionParamInitializer.BIAS_KEY, bias.reshape(b.shape()));
            }
            return delta;
        }
    }

    @Override
    public void resetAdapter() {
        branch.reset(paramTable());
    }

    @Override
    public void clear() {
        super.clear();
        cache.clear();
    }

    /** {@code K0 + ΔK} [C_out, C_in, kH, kW]. */
    private INDArray mergedKernel() {
        return branch.kernelDelta(paramTable()).addi(getParam(ConvolutionParamInitializer.WEIGHT_KEY));
    }

    /** {@code b0 + Δb}, shaped as {@code b}. */
    private INDArray mergedBias() {
        INDArray b = getParam(ConvolutionParamInitializer.BIAS_KEY);
        INDArray delta = branch.biasDelta(paramTable());
        return delta == null ? b : delta.reshape(b.shape()).addi(b);
    }
}
