package org.peft4j.tcurlora;

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
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameter layout of a {@link TcurLayer}: the wrapped layer's own parameters, laid out and initialised
 * by its DL4J initialiser, then (owner only) the core {@code dU [n3, r, r]}, zero-initialised.
 */
final class TcurParamInitializer implements ParamInitializer {

    static final TcurParamInitializer DENSE = new TcurParamInitializer(DefaultParamInitializer.getInstance());
    static final TcurParamInitializer CONVOLUTION = new TcurParamInitializer(ConvolutionParamInitializer.getInstance());
    static final TcurParamInitializer CONVOLUTION_3D = new TcurParamInitializer(Convolution3DParamInitializer.getInstance());

    private final ParamInitializer base;

    private TcurParamInitializer(ParamInitializer base) {
        this.base = base;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return base.numParams(layer) + coreLength((TcurLayer) layer);
    }

    private static long coreLength(TcurLayer layer) {
        if (!layer.ownsCore()) {
            return 0;
        }
        long length = 1;
        for (long size : layer.coreShape()) {
            length *= size;
        }
        return length;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        List<String> keys = new ArrayList<>(base.paramKeys(layer));
        keys.addAll(((TcurLayer) layer).adapterKeys());
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        List<String> keys = new ArrayList<>(base.weightKeys(layer));
        keys.addAll(((TcurLayer) layer).adapterKeys());
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
        TcurLayer layer = (TcurLayer) conf.getLayer();
        INDArray flat = paramsView.reshape(paramsView.length());
        long baseLength = base.numParams(conf.getLayer());
        Map<String, INDArray> params = new LinkedHashMap<>(
                base.init(conf, flat.get(NDArrayIndex.interval(0, baseLength)), initializeParams));
        if (layer.ownsCore()) {
            INDArray core = flat.get(NDArrayIndex.interval(baseLength, flat.length())).reshape('c', layer.coreShape());
            if (initializeParams) {
                core.assign(0);
            }
            params.put(TcurLayer.CORE, core);
            conf.addVariable(TcurLayer.CORE);
        }
        return Collections.synchronizedMap(params);
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        TcurLayer layer = (TcurLayer) conf.getLayer();
        INDArray flat = gradientView.reshape(gradientView.length());
        long baseLength = base.numParams(conf.getLayer());
        Map<String, INDArray> out = new LinkedHashMap<>(
                base.getGradientsFromFlattened(conf, flat.get(NDArrayIndex.interval(0, baseLength))));
        if (layer.ownsCore()) {
            out.put(TcurLayer.CORE, flat.get(NDArrayIndex.interval(baseLength, flat.length())).reshape('c', layer.coreShape()));
        }
        return out;
    }
}
