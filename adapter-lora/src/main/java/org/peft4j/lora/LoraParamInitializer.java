package org.peft4j.lora;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Parameter layout of a {@link LoraLayer}: {@code W}, {@code b}, {@code A}, {@code B} (see there). */
final class LoraParamInitializer implements ParamInitializer {

    static final LoraParamInitializer INSTANCE = new LoraParamInitializer();

    private LoraParamInitializer() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        LoraLayer lora = (LoraLayer) layer;
        long nIn = lora.getNIn();
        long nOut = lora.getNOut();
        long r = lora.getLora().rank();
        return nIn * nOut + (lora.hasBias() ? nOut : 0) + nIn * r + r * nOut;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        List<String> keys = new ArrayList<>(List.of(LoraLayer.WEIGHT));
        if (((LoraLayer) layer).hasBias()) {
            keys.add(LoraLayer.BIAS);
        }
        keys.add(LoraLayer.A);
        keys.add(LoraLayer.B);
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(LoraLayer.WEIGHT, LoraLayer.A, LoraLayer.B);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return ((LoraLayer) layer).hasBias() ? List.of(LoraLayer.BIAS) : Collections.emptyList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return LoraLayer.BIAS.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        LoraLayer lora = (LoraLayer) conf.getLayer();
        Map<String, INDArray> params = views(lora, paramsView);
        if (initializeParams) {
            long nIn = lora.getNIn();
            long nOut = lora.getNOut();
            INDArray w = params.get(LoraLayer.WEIGHT);
            lora.getWeightInitFn().init(nIn, nOut, w.shape(), 'f', w);
            if (lora.hasBias()) {
                params.get(LoraLayer.BIAS).assign(lora.getBiasInit());
            }
            lora.getLora().init().initialize(params.get(LoraLayer.A), nIn, lora.getLora().rank());
            params.get(LoraLayer.B).assign(0);
        }
        params.keySet().forEach(conf::addVariable);
        return Collections.synchronizedMap(params);
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((LoraLayer) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> views(LoraLayer lora, INDArray flat) {
        INDArray view = flat.reshape(flat.length());
        long nIn = lora.getNIn();
        long nOut = lora.getNOut();
        long r = lora.getLora().rank();
        Map<String, INDArray> out = new LinkedHashMap<>();
        long offset = 0;
        out.put(LoraLayer.WEIGHT, view.get(NDArrayIndex.interval(offset, offset + nIn * nOut)).reshape('f', nIn, nOut));
        offset += nIn * nOut;
        if (lora.hasBias()) {
            // same shape as DL4J's DefaultParamInitializer gives the bias, so it copies by key
            out.put(LoraLayer.BIAS, view.get(NDArrayIndex.interval(offset, offset + nOut)));
            offset += nOut;
        }
        out.put(LoraLayer.A, view.get(NDArrayIndex.interval(offset, offset + nIn * r)).reshape('f', nIn, r));
        offset += nIn * r;
        out.put(LoraLayer.B, view.get(NDArrayIndex.interval(offset, offset + r * nOut)).reshape('f', r, nOut));
        return out;
    }
}
