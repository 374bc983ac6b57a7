package org.peft4j.clora;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.Convolution3DParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameter layout of a {@link CloraLayer}: the wrapped layer's own parameters, laid out and initialised by
 * its DL4J initialiser, then {@code Q} (identity blocks), then {@code D} (Kaiming-uniform) when the layer
 * owns its down pool, then {@code U} (zero) when it owns its up pool. So {@code ΔW = 0} at start.
 */
final class CloraParamInitializer implements ParamInitializer {

    static final CloraParamInitializer DENSE = new CloraParamInitializer(DefaultParamInitializer.getInstance());
    static final CloraParamInitializer CONVOLUTION = new CloraParamInitializer(ConvolutionParamInitializer.getInstance());
    static final CloraParamInitializer CONVOLUTION_3D = new CloraParamInitializer(Convolution3DParamInitializer.getInstance());

    private final ParamInitializer base;

    private CloraParamInitializer(ParamInitializer base) {
        this.base = base;
    }

    /**
     * Kaiming-uniform as Hugging Face PEFT draws LoRA's A ({@code kaiming_uniform_(a=sqrt(5))}):
     * {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))}, from ND4J's global generator (seeded by the network's seed).
     */
    static void drawDown(INDArray down, long fanIn) {
        double bound = 1.0 / Math.sqrt(fanIn);
        down.assign(Nd4j.rand(down.dataType(), down.shape()).muli(2 * bound).subi(bound));
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        CloraLayer clora = (CloraLayer) layer;
        long n = base.numParams(layer) + length(clora.mixShape());
        if (clora.ownsDown()) {
            n += length(clora.downShape());
        }
        if (clora.ownsUp()) {
            n += length(clora.upShape());
        }
        return n;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        List<String> keys = new ArrayList<>(base.paramKeys(layer));
        keys.addAll(((CloraLayer) layer).adapterKeys());
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        List<String> keys = new ArrayList<>(base.weightKeys(layer));
        keys.addAll(((CloraLayer) layer).adapterKeys());
        return keys;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return base.biasKeys(layer);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return base.isBiasParam(layer, key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        CloraLayer layer = (CloraLayer) conf.getLayer();
        INDArray flat = paramsView.reshape(paramsView.length());
        long baseLength = base.numParams(conf.getLayer());
        Map<String, INDArray> params = new LinkedHashMap<>(
                base.init(conf, flat.get(NDArrayIndex.interval(0, baseLength)), initializeParams));
        Map<String, INDArray> adapter = adapterViews(layer, flat, baseLength);
        if (initializeParams) {
            MixingBlocks.identity(adapter.get(CloraLayer.MIX));
            if (adapter.containsKey(CloraLayer.DOWN)) {
                drawDown(adapter.get(CloraLayer.DOWN), layer.inDim());
            }
            if (adapter.containsKey(CloraLayer.UP)) {
                adapter.get(CloraLayer.UP).assign(0);
            }
        }
        params.putAll(adapter);
        adapter.keySet().forEach(conf::addVariable);
        return Collections.synchronizedMap(params);
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        CloraLayer layer = (CloraLayer) conf.getLayer();
        INDArray flat = gradientView.reshape(gradientView.length());
        long baseLength = base.numParams(conf.getLayer());
        Map<String, INDArray> out = new LinkedHashMap<>(
                base.getGradientsFromFlattened(conf, flat.get(NDArrayIndex.interval(0, baseLength))));
        out.putAll(adapterViews(layer, flat, baseLength));
        return out;
    }

    /** Views of {@code Q}, then {@code D} and {@code U} when owned, in {@code flat} from {@code offset}. */
    private static Map<String, INDArray> adapterViews(CloraLayer layer, INDArray flat, long offset) {
        Map<String, INDArray> views = new LinkedHashMap<>();
        long at = offset;
        at = put(views, CloraLayer.MIX, layer.mixShape(), flat, at);
        if (layer.ownsDown()) {
            at = put(views, CloraLayer.DOWN, layer.downShape(), flat, at);
        }
        if (layer.ownsUp()) {
            put(views, CloraLayer.UP, layer.upShape(), flat, at);
        }
        return views;
    }

    private static long put(Map<String, INDArray> views, String key, long[] shape, INDArray flat, long at) {
        long end = at + length(shape);
        views.put(key, flat.get(NDArrayIndex.interval(at, end)).reshape('c', shape));
        return end;
    }

    private static long length(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}
