package org.peft4j.colora;

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
 * Parameter layout of a {@link ColoraLayer}: DL4J's own convolution parameters ({@code b}, then
 * {@code W}, laid out and initialised by DL4J's {@link ConvolutionParamInitializer}), then {@code Kp},
 * {@code Kd} and {@code db} (see {@link ColoraLayer} for shapes).
 */
final class ColoraParamInitializer implements ParamInitializer {

    static final ColoraParamInitializer INSTANCE = new ColoraParamInitializer();

    private static final ConvolutionParamInitializer BASE = ConvolutionParamInitializer.getInstance();

    private ColoraParamInitializer() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        ColoraLayer colora = (ColoraLayer) layer;
        long out = colora.getNOut();
        return BASE.numParams(layer) + out * colora.getNIn() + length(colora.depthwiseShape())
                + (colora.hasBias() ? out : 0);
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        List<String> keys = new ArrayList<>(BASE.paramKeys(layer));
        keys.addAll(((ColoraLayer) layer).adapterKeys());
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(ColoraLayer.WEIGHT, ColoraLayer.POINTWISE, ColoraLayer.DEPTHWISE);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return ((ColoraLayer) layer).hasBias() ? List.of(ColoraLayer.BIAS, ColoraLayer.BIAS_DELTA)
                : Collections.emptyList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return ColoraLayer.BIAS.equals(key) || ColoraLayer.BIAS_DELTA.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        ColoraLayer colora = (ColoraLayer) conf.getLayer();
        INDArray flat = paramsView.reshape(paramsView.length());
        long base = BASE.numParams(conf);
        Map<String, INDArray> params = new LinkedHashMap<>(
                BASE.init(conf, flat.get(NDArrayIndex.interval(0, base)), initializeParams));
        params.putAll(adapterViews(colora, flat, base));
        if (initializeParams) {
            ColoraBranch.initialise(colora, params);
        }
        colora.adapterKeys().forEach(conf::addVariable);
        return Collections.synchronizedMap(params);
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        ColoraLayer colora = (ColoraLayer) conf.getLayer();
        INDArray flat = gradientView.reshape(gradientView.length());
        Map<String, INDArray> out = new LinkedHashMap<>();
        long offset = 0;
        long outChannels = colora.getNOut();
        if (colora.hasBias()) {
            out.put(ColoraLayer.BIAS, flat.get(NDArrayIndex.interval(0, outChannels)));
            offset = outChannels;
        }
        long base = BASE.numParams(conf);
        int[] k = colora.kernelHW();
        long[] wShape = colora.oneDimensional() ? new long[] {outChannels, colora.getNIn(), k[1], 1}
                : new long[] {outChannels, colora.getNIn(), k[0], k[1]};
        out.put(ColoraLayer.WEIGHT, flat.get(NDArrayIndex.interval(offset, base)).reshape('c', wShape));
        out.putAll(adapterViews(colora, flat, base));
        return out;
    }

    /** Views of {@code Kp}, {@code Kd} and {@code db} in {@code flat}, starting at {@code offset}. */
    private static Map<String, INDArray> adapterViews(ColoraLayer colora, INDArray flat, long offset) {
        long out = colora.getNOut();
        long[] pointwise = {out, colora.getNIn()};
        long[] depthwise = colora.depthwiseShape();
        Map<String, INDArray> views = new LinkedHashMap<>();
        long at = offset;
        views.put(ColoraLayer.POINTWISE, flat.get(NDArrayIndex.interval(at, at + length(pointwise))).reshape('c', pointwise));
        at += length(pointwise);
        views.put(ColoraLayer.DEPTHWISE, flat.get(NDArrayIndex.interval(at, at + length(depthwise))).reshape('c', depthwise));
        at += length(depthwise);
        if (colora.hasBias()) {
            views.put(ColoraLayer.BIAS_DELTA, flat.get(NDArrayIndex.interval(at, at + out)));
        }
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
