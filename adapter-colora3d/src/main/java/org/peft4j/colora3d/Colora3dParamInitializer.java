package org.peft4j.colora3d;

import static org.peft4j.colora3d.Colora3dLayer.BIAS;
import static org.peft4j.colora3d.Colora3dLayer.BIAS_DELTA;
import static org.peft4j.colora3d.Colora3dLayer.DEPTHWISE;
import static org.peft4j.colora3d.Colora3dLayer.POINTWISE;
import static org.peft4j.colora3d.Colora3dLayer.WEIGHT;

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

/** Parameter layout of a {@link Colora3dLayer}: {@code b, W, Kp, Kd, db} (shapes there). */
final class Colora3dParamInitializer implements ParamInitializer {

    static final Colora3dParamInitializer INSTANCE = new Colora3dParamInitializer();

    private Colora3dParamInitializer() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        Colora3dLayer colora = (Colora3dLayer) layer;
        long out = colora.getNOut();
        long taps = taps(colora);
        long bias = colora.hasBias() ? out : 0;
        return bias + out * colora.getNIn() * taps + out * colora.getNIn() + out * taps + bias;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        boolean bias = ((Colora3dLayer) layer).hasBias();
        List<String> keys = new ArrayList<>();
        if (bias) {
            keys.add(BIAS);
        }
        keys.addAll(List.of(WEIGHT, POINTWISE, DEPTHWISE));
        if (bias) {
            keys.add(BIAS_DELTA);
        }
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WEIGHT, POINTWISE, DEPTHWISE);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return ((Colora3dLayer) layer).hasBias() ? List.of(BIAS, BIAS_DELTA) : List.of();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS.equals(key) || BIAS_DELTA.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Colora3dLayer colora = (Colora3dLayer) conf.getLayer();
        Map<String, INDArray> params = views(colora, paramsView);
        if (initializeParams) {
            int[] s = colora.getStride();
            double taps = taps(colora);
            INDArray w = params.get(WEIGHT);
            // the fans DL4J's Convolution3DParamInitializer uses, so a fresh adapted layer draws like its base
            colora.getWeightInitFn().init(colora.getNIn() * taps, colora.getNOut() * taps / (s[0] * s[1] * s[2]),
                    w.shape(), 'c', w);
            if (colora.hasBias()) {
                params.get(BIAS).assign(colora.getBiasInit());
                params.get(BIAS_DELTA).assign(0);
            }
            colora.getColora().pointwiseInit().draw(params.get(POINTWISE), colora.getColora().pointwiseGain());
            params.get(DEPTHWISE).assign(0);
        }
        params.keySet().forEach(conf::addVariable);
        return Collections.synchronizedMap(params);
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((Colora3dLayer) conf.getLayer(), gradientView);
    }

    private static long taps(Colora3dLayer colora) {
        int[] k = colora.getKernelSize();
        return (long) k[0] * k[1] * k[2];
    }

    private static Map<String, INDArray> views(Colora3dLayer colora, INDArray flat) {
        INDArray view = flat.reshape(flat.length());
        long out = colora.getNOut();
        long in = colora.getNIn();
        int[] k = colora.getKernelSize();
        long taps = taps(colora);
        Map<String, INDArray> params = new LinkedHashMap<>();
        long offset = 0;
        if (colora.hasBias()) {
            params.put(BIAS, view.get(NDArrayIndex.interval(offset, offset + out)));
            offset += out;
        }
        params.put(WEIGHT, view.get(NDArrayIndex.interval(offset, offset + out * in * taps))
                .reshape('c', out, in, k[0], k[1], k[2]));
        offset += out * in * taps;
        params.put(POINTWISE, view.get(NDArrayIndex.interval(offset, offset + out * in)).reshape('c', out, in));
        offset += out * in;
        params.put(DEPTHWISE, view.get(NDArrayIndex.interval(offset, offset + out * taps))
                .reshape('c', out, k[0], k[1], k[2]));
        offset += out * taps;
        if (colora.hasBias()) {
            params.put(BIAS_DELTA, view.get(NDArrayIndex.interval(offset, offset + out)));
        }
        return params;
    }
}
