package org.peft4j.layers;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.Convolution1DLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv1D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv1DConfig;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.spi.MergeableLayer;

/**
 * Runtime of an adapted 1D convolution ({@code Convolution1DLayer}, NCW or NWC, modes Same,
 * Truncate, Strict and Causal) whose adapter is a {@link ConvBranch}:
 * {@code z = (K0 + ΔK) ⊛ x + b0 + Δb}, {@code out = act(z)}.
 *
 * <p>The forward pass is DL4J's own ({@code conv1d} op, same arguments) with the merged kernel
 * written in the layout that op reads ({@link ConvLayout}), so a zero adapter is bit-identical to
 * the base layer. A training pass keeps {@code z}; the backward pass treats the layer as a 2D
 * convolution over {@code [N, C, 1, L]}: the input gradient with the merged kernel and the branch's
 * parameter gradients, never the frozen kernel's weight gradient.
 */
public class MergedConv1dRuntime extends Convolution1DLayer implements MergeableLayer {

    private final transient ConvBranch branch;
    private final transient PreActivationCache cache = new PreActivationCache();

    public MergedConv1dRuntime(NeuralNetConfiguration conf, DataType dataType, ConvBranch branch) {
        super(conf, dataType);
        this.branch = branch;
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray z = convolve(ncwInput(), workspaceMgr);
        if (training && !forBackprop) {
            cache.store(z, input);
            z = workspaceMgr.dup(ArrayType.ACTIVATIONS, z);
        } else {
            cache.clear();
        }
        return new Pair<>(layerConf().getRnnDataFormat() == RNNFormat.NWC ? z.permute(0, 2, 1) : z, null);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray x = ConvolutionOps.contiguous(ConvLayout.toNchw(layerConf(), input.castTo(dataType)));
        ConvGeometry g = ConvGeometry.of(layerConf(), x);
        INDArray z = cache.take(input);
        if (z == null) {
            z = convolve(ncwInput(), workspaceMgr);
        }
        INDArray eps = ConvLayout.toNchw(layerConf(), epsilon.castTo(dataType));
        INDArray delta = layerConf().getActivationFn().backprop(z.reshape('c', eps.shape()), eps).getFirst();
        branch.backward(paramTable(), x, delta, g, gradientViews);
        INDArray epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                g.inputShape(x.size(0), x.size(1)), 'c');
        ConvolutionOps.inputGradient(delta, mergedKernel(), g, epsOut);
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

    /** The input as NCW [N, C_in, L] in the layer's data type. */
    private INDArray ncwInput() {
        INDArray x = input.castTo(dataType);
        return layerConf().getRnnDataFormat() == RNNFormat.NWC ? x.permute(0, 2, 1) : x;
    }

    /** {@code z} [N, C_out, L_out] (NCW, in the activation workspace) by DL4J's own conv1d call, merged kernel. */
    private INDArray convolve(INDArray ncw, LayerWorkspaceMgr workspaceMgr) {
        org.deeplearning4j.nn.conf.layers.Convolution1DLayer c = layerConf();
        Conv1DConfig config = Conv1DConfig.builder().k(c.getKernelSize()[0]).s(c.getStride()[0])
                .d(c.getDilation()[0]).p(c.getPadding()[0]).dataFormat(Conv1DConfig.NCW)
                .paddingMode(ConvolutionUtils.paddingModeForConvolutionMode(convolutionMode)).build();
        INDArray w = ConvLayout.opWeights1d(getParam(ConvolutionParamInitializer.WEIGHT_KEY));
        INDArray kernelDelta = branch.kernelDelta(paramTable());
        INDArray weights = kernelDelta.reshape('c', kernelDelta.size(0), kernelDelta.size(1), kernelDelta.size(3))
                .permute(2, 1, 0).add(w);
        INDArray[] inputs = hasBias() ? new INDArray[] {ncw, weights, mergedBias()} : new INDArray[] {ncw, weights};
        Conv1D op = new Conv1D(inputs, null, config);
        List<LongShapeDescriptor> shape = op.calculateOutputShape();
        INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, shape.get(0).getShape(), 'c');
        op.setOutputArgument(0, z);
        Nd4j.exec(op);
        return z;
    }

    /** {@code K0 + ΔK} as [C_out, C_in, 1, k]. */
    private INDArray mergedKernel() {
        return branch.kernelDelta(paramTable())
                .addi(ConvLayout.kernel(layerConf(), getParam(ConvolutionParamInitializer.WEIGHT_KEY)));
    }

    /** {@code b0 + Δb} as a vector [C_out]. */
    private INDArray mergedBias() {
        INDArray b = getParam(ConvolutionParamInitializer.BIAS_KEY);
        INDArray delta = branch.biasDelta(paramTable());
        INDArray vector = b.reshape(b.length());
        return delta == null ? vector : delta.reshape(b.length()).addi(vector);
    }
}
