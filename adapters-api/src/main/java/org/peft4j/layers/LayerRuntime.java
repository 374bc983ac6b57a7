package org.peft4j.layers;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.peft4j.ops.KernelLayout;
import org.peft4j.spi.GroupMember;
import org.peft4j.spi.LayerAdapter;
import org.peft4j.spi.LayerPlan;
import org.peft4j.spi.MergeableLayer;
import org.peft4j.spi.WeightShape;

/**
 * peft4j's execution core for one layer with a weight (dense, 1D, 2D or 3D convolution), frozen or adapted:
 * the runtime of {@link AdapterLayer} and {@link FrozenWithBackprop}.
 *
 * <p>It holds the wrapped layer's own DL4J runtime ({@code underlying}) and the layer's parameters: the frozen
 * {@code W0}, {@code b0} and, when adapted, the adapter's. The layer computes {@code act(x ⊛ W + b)} with the
 * merged weight {@code W = W0 + ΔW}, {@code b = b0 + Δb} ({@link LayerAdapter#weightDelta}):
 * <ul>
 *   <li><b>Training a convolution or a hidden dense layer</b> runs on native ops ({@link NativePasses}): one
 *       forward op, keeping the pre-activation; backward one op for {@code dL/dx} and, when adapted,
 *       {@code G = dL/dW} of the merged weight, from which the adapter's chain rule gives its parameter
 *       gradients.</li>
 *   <li><b>Everything else</b> (inference, output layers, layers with input dropout, a mask or
 *       a training branch) runs the wrapped DL4J layer itself on the merged weights, so a frozen or zero adapter
 *       gives exactly the base layer's outputs, and takes {@code G} from that layer's own backward pass.</li>
 * </ul>
 * The gradient views of the frozen keys are never written, so those keys stay bit-identical through
 * {@code fit}; when {@code inputGradient} is false (nothing trainable lies upstream) {@code dL/dx} is not
 * computed and a zero array goes down.
 */
public class LayerRuntime extends BaseWrapperLayer implements MergeableLayer, GroupMember {

    private NeuralNetConfiguration conf;
    private final org.deeplearning4j.nn.conf.layers.Layer config;
    private final WeightShape weight;
    private final LayerPlan plan;
    private final AdapterBinding adapter;
    private final boolean inputGradient;
    private final MergedWeights merged;
    private final NativePasses passes;
    private Map<String, INDArray> params = Map.of();
    private Map<String, INDArray> gradients = Map.of();
    private INDArray paramsView;
    private INDArray gradientsView;

    LayerRuntime(NeuralNetConfiguration conf, Layer inner, WeightShape weight, AdapterBinding adapter, LayerPlan plan,
            boolean inputGradient, MergedWeights merged) {
        super(inner);
        this.conf = conf;
        this.config = conf.getLayer();
        this.weight = weight;
        this.plan = plan;
        this.adapter = adapter;
        this.inputGradient = inputGradient;
        this.merged = merged;
        this.passes = NativePasses.supports(WrappedParamInitializer.underlying(config)) && !(inner instanceof IOutputLayer)
                ? new NativePasses(this, weight) : null;
    }

    /**
     * The runtime of the wrapped layer configuration {@code conf.getLayer()} ({@link AdapterLayer} or
     * {@link FrozenWithBackprop}), with its parameter views and, when {@code initializeParams}, the adapter's
     * starting values.
     *
     * @param adapter the adapter's maths, or null for a frozen layer
     */
    static LayerRuntime create(NeuralNetConfiguration conf, org.deeplearning4j.nn.conf.layers.Layer wrapper,
            LayerAdapter adapter, LayerPlan plan, Collection<TrainingListener> listeners, int index, INDArray paramsView,
            boolean initializeParams, DataType dataType) {
        org.deeplearning4j.nn.conf.layers.Layer base = WrappedParamInitializer.underlying(wrapper);
        WeightShape weight = WeightShape.of(base).orElseThrow(() -> new IllegalArgumentException("layer '"
                + wrapper.getLayerName() + "' (" + base.getClass().getSimpleName() + ") is not a kind peft4j's execution "
                + "core runs"));
        Map<String, INDArray> params = WrappedParamInitializer.INSTANCE.init(conf, paramsView, initializeParams);
        NeuralNetConfiguration innerConf = WrappedParamInitializer.inner(conf);
        long baseLength = base.initializer().numParams(base);
        MergedWeights merged = new MergedWeights(weight, adapter == null ? null : base, params, baseLength, dataType);
        INDArray innerView = adapter == null ? paramsView.reshape(paramsView.length()).get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, baseLength)) : merged.effectiveView();
        AdapterBinding binding = adapter == null ? null : new AdapterBinding(adapter, plan, wrapper.getLayerName());
        Layer inner = BranchedDense.instantiate(base, innerConf, listeners, index, innerView, dataType, binding);
        boolean output = inner instanceof IOutputLayer;
        boolean inputGradient = wrapper instanceof FrozenWithBackprop frozen ? frozen.isInputGradient()
                : ((AdapterLayer) wrapper).isInputGradient();
        LayerRuntime runtime = output ? new OutputLayerRuntime(conf, inner, weight, binding, plan, inputGradient, merged)
                : new LayerRuntime(conf, inner, weight, binding, plan, inputGradient, merged);
        runtime.setListeners(listeners);
        runtime.setIndex(index);
        runtime.bind(params, paramsView);
        if (adapter != null && initializeParams) {
            runtime.adapter.initialise();
        }
        return runtime;
    }

    private void bind(Map<String, INDArray> params, INDArray paramsView) {
        this.params = params;
        this.paramsView = paramsView;
        merged.bind(params, adapter, paramsView);
        if (adapter != null) {
            adapter.bind(params, this, paramsView);
        }
    }

    // ---- forward and backward

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        // frozen layers compute as in inference (DL4J's frozen-layer semantics: no dropout)
        boolean train = training && adapter != null;
        if (training && passes != null && (adapter != null || inputGradient) && passes.fastPathFor(underlying)) {
            return passes.forward(workspaceMgr);
        }
        merged.prepare(underlying, train && BranchedDense.active(underlying));
        return passes == null ? underlying.activate(train, workspaceMgr)
                : passes.guarded(() -> underlying.activate(train, workspaceMgr));
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return activate(training, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Gradient gradient = new DefaultGradient();
        if (adapter != null) {
            adapter.heldKeys().forEach(k -> gradient.setGradientFor(k, gradients.get(k)));
        }
        INDArray dx;
        if (passes != null && passes.fastPathFor(underlying)) {
            dx = passes.backward(epsilon, workspaceMgr);
        } else {
            dx = innerBackward(epsilon, workspaceMgr);
        }
        if (dx == null) {
            dx = workspaceMgr.create(org.deeplearning4j.nn.workspace.ArrayType.ACTIVATION_GRAD, underlying.input().dataType(),
                    underlying.input().shape(), 'c');
        }
        return new Pair<>(gradient, dx);
    }

    /** The wrapped DL4J layer's own backward pass on the merged weights; {@code G} from its gradient views. */
    private INDArray innerBackward(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        boolean branch = adapter != null && BranchedDense.active(underlying);
        merged.prepare(underlying, branch);
        Pair<Gradient, INDArray> pair = passes == null ? underlying.backpropGradient(epsilon, workspaceMgr)
                : passes.guarded(() -> underlying.backpropGradient(epsilon, workspaceMgr));
        if (adapter != null && !branch) {
            adapter.adapter().backward(adapter.parameters(), merged.kernelGradient(), merged.biasGradient(),
                    adapter.gradients(underlying.input().size(0), conf.isMiniBatch()));
        }
        return inputGradient ? pair.getSecond() : null;
    }

    /** The wrapped layer's own DL4J runtime. */
    Layer inner() {
        return underlying;
    }

    /** Whether {@code dL/dx} must be computed. */
    boolean inputGradient() {
        return inputGradient;
    }

    AdapterBinding binding() {
        return adapter;
    }

    MergedWeights merged() {
        return merged;
    }

    // ---- merging

    @Override
    public Map<String, INDArray> baseDelta() {
        if (adapter == null) {
            return Map.of();
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            return merged.delta(adapter.parameters(DataType.DOUBLE));
        }
    }

    @Override
    public void resetAdapter() {
        if (adapter != null) {
            adapter.initialise();
            merged.invalidate();
        }
        clear();
    }

    @Override
    public Map<String, String> adapterState() {
        return adapter == null ? Map.of() : adapter.adapter().state(adapter.parameters());
    }

    // ---- GroupMember

    @Override
    public String layerName() {
        return config.getLayerName();
    }

    @Override
    public WeightShape weight() {
        return weight;
    }

    @Override
    public LayerPlan plan() {
        return plan;
    }

    @Override
    public INDArray frozenWeight() {
        return KernelLayout.kernel(weight, params.get("W")).dup('c');
    }

    // ---- DL4J plumbing: this layer's parameters are the wrapped layer's plus the adapter's

    @Override
    public NeuralNetConfiguration conf() {
        return conf;
    }

    @Override
    public void setConf(NeuralNetConfiguration conf) {
        this.conf = conf;
    }

    @Override
    public TrainingConfig getConfig() {
        return config;
    }

    @Override
    public INDArray params() {
        return paramsView;
    }

    @Override
    public long numParams() {
        return paramsView == null ? 0 : paramsView.length();
    }

    @Override
    public long numParams(boolean backwards) {
        return numParams();
    }

    @Override
    public void setParams(INDArray values) {
        paramsView.assign(values);
        merged.invalidate();
    }

    @Override
    public void setParamsViewArray(INDArray view) {
        bind(WrappedParamInitializer.INSTANCE.init(conf, view, false), view);
        merged.invalidate();
    }

    @Override
    public INDArray getParam(String key) {
        return params.get(key);
    }

    @Override
    public Map<String, INDArray> paramTable() {
        return paramTable(false);
    }

    @Override
    public Map<String, INDArray> paramTable(boolean backpropParamsOnly) {
        return new LinkedHashMap<>(params);
    }

    @Override
    public void setParamTable(Map<String, INDArray> table) {
        table.forEach(this::setParam);
    }

    @Override
    public void setParam(String key, INDArray value) {
        INDArray param = params.get(key);
        if (param == null) {
            throw new IllegalArgumentException("layer '" + layerName() + "' has no parameter '" + key + "'; it has "
                    + params.keySet());
        }
        param.assign(value);
        merged.invalidate();
    }

    @Override
    public INDArray getGradientsViewArray() {
        return gradientsView;
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray view) {
        this.gradientsView = view;
        this.gradients = WrappedParamInitializer.INSTANCE.getGradientsFromFlattened(conf, view);
        if (adapter != null) {
            adapter.bindGradients(gradients);
        }
    }

    @Override
    public Gradient gradient() {
        Gradient gradient = new DefaultGradient(gradientsView);
        gradients.forEach(gradient::setGradientFor);
        return gradient;
    }

    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        if (adapter == null) {
            return 0;
        }
        double score = 0;
        for (String key : adapter.heldKeys()) {
            List<Regularization> terms = config.getRegularizationByParam(key);
            for (Regularization r : terms == null ? List.<Regularization>of() : terms) {
                score += r.score(params.get(key), getIterationCount(), getEpochCount());
            }
        }
        return score + adapter.adapter().regularizationScore(adapter.parameters());
    }

    @Override
    public boolean updaterDivideByMinibatch(String key) {
        return true;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void applyConstraints(int iteration, int epoch) {
        // frozen keys never change; adapted layers with constraints are refused when adapting
    }

    @Override
    public void clear() {
        super.clear();
        if (passes != null) {
            passes.clear();
        }
    }

    @Override
    public void update(Gradient gradient) {
        throw notStandalone();
    }

    @Override
    public void update(INDArray gradient, String paramType) {
        throw notStandalone();
    }

    @Override
    public void fit() {
        throw notStandalone();
    }

    @Override
    public void fit(INDArray data, LayerWorkspaceMgr workspaceMgr) {
        throw notStandalone();
    }

    @Override
    public void computeGradientAndScore(LayerWorkspaceMgr workspaceMgr) {
        throw notStandalone();
    }

    private IllegalStateException notStandalone() {
        return new IllegalStateException("layer '" + layerName() + "' is trained as part of its network; call fit on "
                + "the network");
    }

    @Override
    public String toString() {
        return "LayerRuntime{" + layerName() + ", " + weight + (adapter == null ? ", frozen" : ", adapted") + "}";
    }

    /** The parameter tables of this runtime (tests). */
    Map<String, INDArray> gradientViews() {
        return new HashMap<>(gradients);
    }
}
