package org.peft4j.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.peft4j.spi.AdapterParameter;

/**
 * Parameter layout of the layers peft4j wraps ({@link AdapterLayer}, {@link FrozenWithBackprop}): the wrapped
 * layer's own parameters first, laid out and initialised by its own DL4J initialiser, then (adapted layers) the
 * adapter parameters this layer holds, each a c-order slice in the order of
 * {@link org.peft4j.spi.LayerAdapter#parameters()}, drawn by {@link org.peft4j.spi.LayerAdapter#initialise}.
 */
final class WrappedParamInitializer implements ParamInitializer {

    static final WrappedParamInitializer INSTANCE = new WrappedParamInitializer();

    private WrappedParamInitializer() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        Layer base = underlying(layer);
        long n = base.initializer().numParams(base);
        for (AdapterParameter p : held(layer)) {
            n += p.length();
        }
        return n;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        Layer base = underlying(layer);
        List<String> keys = new ArrayList<>(base.initializer().paramKeys(base));
        held(layer).forEach(p -> keys.add(p.key()));
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        Layer base = underlying(layer);
        List<String> keys = new ArrayList<>(base.initializer().weightKeys(base));
        held(layer).stream().filter(p -> !p.bias()).forEach(p -> keys.add(p.key()));
        return keys;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        Layer base = underlying(layer);
        List<String> keys = new ArrayList<>(base.initializer().biasKeys(base));
        held(layer).stream().filter(AdapterParameter::bias).forEach(p -> keys.add(p.key()));
        return keys;
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return biasKeys(layer).contains(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Map<String, INDArray> params = views(conf, paramsView,
                (inner, baseView) -> inner.getLayer().initializer().init(inner, baseView, initializeParams));
        conf.clearVariables();
        params.keySet().forEach(conf::addVariable);
        return Collections.synchronizedMap(params);
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(conf, gradientView,
                (inner, baseView) -> inner.getLayer().initializer().getGradientsFromFlattened(inner, baseView));
    }

    /**
     * The views of {@code view} ({@code [wrapped layer's part | held adapter parameters]}) by key: the wrapped
     * layer's part as {@code baseViews} gives it (called with {@link #inner} and that part), then one slice per held
     * adapter parameter.
     */
    private static Map<String, INDArray> views(NeuralNetConfiguration conf, INDArray view,
            BiFunction<NeuralNetConfiguration, INDArray, Map<String, INDArray>> baseViews) {
        Layer layer = conf.getLayer();
        Layer base = underlying(layer);
        INDArray flat = view == null ? null : view.reshape(view.length());
        long baseLength = base.initializer().numParams(base);
        Map<String, INDArray> views = new LinkedHashMap<>();
        if (baseLength > 0) {
            views.putAll(baseViews.apply(inner(conf), flat.get(NDArrayIndex.interval(0, baseLength))));
        }
        views.putAll(slices(held(layer), flat, baseLength));
        return views;
    }

    /** A copy of {@code conf} whose layer is the wrapped one, as the wrapped layer's initialiser and runtime expect. */
    static NeuralNetConfiguration inner(NeuralNetConfiguration conf) {
        NeuralNetConfiguration inner = conf.clone();
        inner.setLayer(underlying(conf.getLayer()));
        return inner;
    }

    static Layer underlying(Layer layer) {
        return ((BaseWrapperLayer) layer).getUnderlying();
    }

    /** The adapter parameters {@code layer} holds, in layout order (none for a frozen layer). */
    static List<AdapterParameter> held(Layer layer) {
        if (!(layer instanceof AdapterLayer adapted)) {
            return List.of();
        }
        return adapted.adapter().parameters().stream()
                .filter(p -> adapted.getPlan().holds(adapted.getLayerName(), p.key())).toList();
    }

    private static Map<String, INDArray> slices(List<AdapterParameter> parameters, INDArray flat, long offset) {
        Map<String, INDArray> views = new LinkedHashMap<>();
        long at = offset;
        for (AdapterParameter p : parameters) {
            views.put(p.key(), flat.get(NDArrayIndex.interval(at, at + p.length())).reshape('c', p.shape()));
            at += p.length();
        }
        return views;
    }
}
