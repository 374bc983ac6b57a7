package org.peft4j.layers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.peft4j.spi.AdaptedLayer;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.spi.AdapterMethod;
import org.peft4j.spi.AdapterParameter;
import org.peft4j.spi.LayerAdapter;
import org.peft4j.spi.LayerPlan;
import org.peft4j.spi.WeightShape;

/**
 * The one DL4J layer configuration of every adapted layer, whatever the method: it wraps the layer's own
 * configuration ({@link #getUnderlying()}, a {@code DenseLayer}, {@code OutputLayer}, {@code ConvolutionLayer},
 * {@code Convolution1DLayer} or {@code Convolution3D}) as DL4J's {@code FrozenLayerWithBackprop} does, and names
 * the adapter method (by class), its configuration (as JSON) and the layer's {@link LayerPlan}.
 *
 * <p>Parameters, in this order in the layer's flat view: the wrapped layer's own ({@code W}, {@code b}, ...
 * exactly as DL4J lays them out), frozen; then the adapter's, as its {@link LayerAdapter#parameters()} lists
 * them, except shared ones this layer does not own. Frozen keys get the NoOp updater and no regularisation and
 * their gradient views are never written, so they stay bit-identical through {@code fit}. Adapter keys get the
 * wrapped layer's updater and regularisation (its bias ones for bias-like keys), except keys the adapter
 * declares unregularised.
 *
 * <p>The runtime is {@link LayerRuntime} (or {@link OutputLayerRuntime} for an output layer): peft4j's
 * execution core.
 */
public class AdapterLayer extends BaseWrapperLayer implements AdaptedLayer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private String method;
    private String config;
    private LayerPlan plan;
    private boolean inputGradient = true;
    private transient Resolved resolved;

    /** For JSON. */
    public AdapterLayer() {
    }

    /**
     * {@code base} adapted by {@code method} with {@code config} and {@code plan}.
     *
     * @throws IllegalArgumentException when the execution core does not run {@code base}'s kind
     */
    public static AdapterLayer of(Layer base, AdapterMethod<?> method, AdapterConfig config, LayerPlan plan) {
        AdapterLayer layer = new AdapterLayer();
        layer.setUnderlying(base.clone());
        layer.setLayerName(base.getLayerName());
        layer.method = method.getClass().getName();
        layer.config = json(config);
        layer.plan = Objects.requireNonNull(plan, "plan");
        layer.resolved = Resolved.of(layer, method);
        return layer;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int index, INDArray paramsView, boolean initializeParams,
            DataType dataType) {
        return LayerRuntime.create(conf, this, resolved().adapter(), plan, listeners, index, paramsView,
                initializeParams, dataType);
    }

    @Override
    public ParamInitializer initializer() {
        return WrappedParamInitializer.INSTANCE;
    }

    @Override
    public IUpdater getUpdaterByParam(String key) {
        if (frozenKeys().contains(key)) {
            return new NoOp();
        }
        return underlying.getUpdaterByParam(resolved().parameter(key).bias() ? "b" : "W");
    }

    @Override
    public List<Regularization> getRegularizationByParam(String key) {
        if (unregularizedKeys().contains(key)) {
            return List.of();
        }
        List<Regularization> regularization = underlying.getRegularizationByParam(
                resolved().parameter(key).bias() ? "b" : "W");
        return regularization == null ? List.of() : regularization;
    }

    @Override
    public boolean isPretrainParam(String key) {
        return false;
    }

    // ---- AdaptedLayer

    @Override
    public String methodName() {
        return resolved().method().name();
    }

    @Override
    public AdapterConfig adapterConfig() {
        return resolved().config();
    }

    @Override
    public Layer baseLayer() {
        return underlying.clone();
    }

    @Override
    public List<String> frozenKeys() {
        return underlying.initializer().paramKeys(underlying);
    }

    @Override
    public List<String> adapterKeys() {
        List<String> keys = new ArrayList<>();
        for (AdapterParameter p : resolved().adapter().parameters()) {
            if (plan.holds(getLayerName(), p.key())) {
                keys.add(p.key());
            }
        }
        return keys;
    }

    @Override
    public List<String> unregularizedKeys() {
        List<String> keys = new ArrayList<>(frozenKeys());
        resolved().adapter().parameters().stream().filter(p -> !p.regularized()).forEach(p -> keys.add(p.key()));
        return keys;
    }

    /** The weight this layer adapts. */
    public WeightShape weight() {
        return WeightShape.of(underlying).orElseThrow();
    }

    /** The adapter's maths on this layer. */
    public LayerAdapter adapter() {
        return resolved().adapter();
    }

    // ---- bean properties (JSON)

    /** The adapter method's class name. */
    public String getMethod() {
        return method;
    }

    public void setMethod(String method) {
        this.method = method;
        this.resolved = null;
    }

    /** The method's configuration as JSON. */
    public String getConfig() {
        return config;
    }

    public void setConfig(String config) {
        this.config = config;
        this.resolved = null;
    }

    /**
     * Whether the backward pass must compute the gradient with respect to this layer's input (default true);
     * the injector sets it false when nothing trainable lies upstream.
     */
    public boolean isInputGradient() {
        return inputGradient;
    }

    public void setInputGradient(boolean inputGradient) {
        this.inputGradient = inputGradient;
    }

    public LayerPlan getPlan() {
        return plan;
    }

    public void setPlan(LayerPlan plan) {
        this.plan = plan;
        this.resolved = null;
    }

    @Override
    public AdapterLayer clone() {
        AdapterLayer copy = (AdapterLayer) super.clone();
        copy.underlying = underlying.clone();
        copy.resolved = null;
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdapterLayer other && super.equals(o) && Objects.equals(method, other.method)
                && Objects.equals(config, other.config) && Objects.equals(plan, other.plan)
                && inputGradient == other.inputGradient;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof AdapterLayer;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), method, config, plan, inputGradient);
    }

    @Override
    public String toString() {
        return "AdapterLayer(" + (resolved == null ? method : methodName()) + " " + config + ", " + underlying + ")";
    }

    private Resolved resolved() {
        if (resolved == null) {
            resolved = Resolved.of(this);
        }
        return resolved;
    }

    private static String json(AdapterConfig config) {
        try {
            return JSON.writeValueAsString(Objects.requireNonNull(config, "config"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + config + " as JSON", e);
        }
    }

    /** The method, configuration and maths this layer names, built once. */
    private record Resolved(AdapterMethod<?> method, AdapterConfig config, LayerAdapter adapter) {

        static Resolved of(AdapterLayer layer) {
            return of(layer, create(layer.method, layer.getLayerName()));
        }

        /** The method of class {@code type}, from the thread's context class loader or peft4j's own. */
        private static AdapterMethod<?> create(String type, String layerName) {
            ReflectiveOperationException failure = null;
            for (ClassLoader loader : new ClassLoader[] {Thread.currentThread().getContextClassLoader(),
                AdapterLayer.class.getClassLoader()}) {
                if (loader == null) {
                    continue;
                }
                try {
                    return (AdapterMethod<?>) Class.forName(type, true, loader).getConstructor().newInstance();
                } catch (ReflectiveOperationException e) {
                    failure = e;
                }
            }
            throw new IllegalStateException("layer '" + layerName + "': adapter method class " + type + " cannot be "
                    + "created (is its jar on the class path, and does it have a public no-argument constructor?)",
                    failure);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        static Resolved of(AdapterLayer layer, AdapterMethod method) {
            String name = layer.getLayerName();
            AdapterConfig config;
            try {
                config = (AdapterConfig) JSON.readValue(layer.config, method.configType());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("layer '" + name + "': bad " + method.name() + " configuration "
                        + layer.config + ": " + e.getOriginalMessage(), e);
            }
            WeightShape weight = WeightShape.of(layer.underlying).orElseThrow(() -> new IllegalArgumentException(
                    "layer '" + name + "' (" + layer.underlying.getClass().getSimpleName() + ") is not a kind peft4j's "
                            + "execution core runs (DenseLayer, OutputLayer, ConvolutionLayer, Convolution1DLayer, Convolution3D)"));
            return new Resolved(method, config, method.adapter(weight, config, layer.plan));
        }

        AdapterParameter parameter(String key) {
            return adapter.parameters().stream().filter(p -> p.key().equals(key)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("adapter of method " + method.name()
                            + " has no parameter '" + key + "'"));
        }
    }
}
