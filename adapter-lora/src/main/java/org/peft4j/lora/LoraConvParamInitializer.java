package org.peft4j.lora;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameter layout of a {@link LoraConvLayer}: DL4J's own convolution parameters ({@code b}, then
 * {@code W}, laid out and initialised by DL4J's {@link ConvolutionParamInitializer}), then {@code A}
 * and {@code B} (see {@link LoraConvLayer} for shapes).
 */
final class LoraConvParamInitializer implements ParamInitializer {

    static final LoraConvParamInitializer INSTANCE = new LoraConvParamInitializer();

    private static final ConvolutionParamInitializer BASE = ConvolutionParamInitializer.getInstance();

    private LoraConvParamInitializer() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        LoraConvLayer lora = (LoraConvLayer) layer;
        return BASE.numParams(layer) + length(lora.downShape()) + lora.getNOut() * lora.getLora().rank();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        List<String> keys = new ArrayList<>(BASE.paramKeys(layer));
        keys.addAll(List.of(LoraConvLayer.A, LoraConvLayer.B));
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(LoraConvLayer.WEIGHT, LoraConvLayer.A, LoraConvLayer.B);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return ((LoraConvLayer) layer).hasBias() ? List.of(LoraConvLayer.BIAS) : Collections.emptyList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return LoraConvLayer.BIAS.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        LoraConvLayer lora = (LoraConvLayer) conf.getLayer();
        INDArray flat = paramsView.reshape(paramsView.length());
        long base = BASE.numParams(conf);
        Map<String, INDArray> params = new LinkedHashMap<>(
                BASE.init(conf, flat.get(NDArrayIndex.interval(0, base)), initializeParams));
        params.putAll(adapterViews(lora, flat, base));
        if (initializeParams) {
            LoraConvBranch.initialise(lora, params);
        }
        conf.addVariable(LoraConvLayer.A);
        conf.addVariable(LoraConvLayer.B);
        return Collections.synchronizedMap(params);
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        LoraConvLayer lora = (LoraConvLayer) conf.getLayer();
        INDArray flat = gradientView.reshape(gradientView.length());
        Map<String, INDArray> out = new LinkedHashMap<>();
        long outChannels = lora.getNOut();
        long offset = 0;
        if (lora.hasBias()) {
            out.put(LoraConvLayer.BIAS, flat.get(NDArrayIndex.interval(0, outChannels)));
            offset = outChannels;
        }
        long base = BASE.numParams(conf);
        int[] k = lora.kernelHW();
        long[] wShape = lora.oneDimensional() ? new long[] {outChannels, lora.getNIn(), k[1], 1}
                : new long[] {outChannels, lora.getNIn(), k[0], k[1]};
        out.put(LoraConvLayer.WEIGHT, flat.get(NDArrayIndex.interval(offset, base)).reshape('c', wShape));
        out.putAll(adapterViews(lora, flat, base));
        return out;
    }

    /** Views of {@code A} and {@code B} in {@code flat}, starting at {@code offset}. */
    private static Map<String, INDArray> adapterViews(LoraConvLayer lora, INDArray flat, long offset) {
        long[] down = lora.downShape();
        long[] up = {lora.getNOut(), lora.getLora().rank()};
        Map<String, INDArray> views = new LinkedHashMap<>();
        views.put(LoraConvLayer.A, flat.get(NDArrayIndex.interval(offset, offset + length(down))).reshape('c', down));
        long at = offset + length(down);
        views.put(LoraConvLayer.B, flat.get(NDArrayIndex.interval(at, at + length(up))).reshape('c', up));
        return views;
    }

    private static long length(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}
