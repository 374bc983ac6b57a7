package org.peft4j.conv3d;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameter layout of a {@link DepthwiseConvolution3D}, as DL4J's depthwise 2D initializer: flat
 * view {@code [b (nOut), W (kD·kH·kW·nIn·depthMultiplier)]}, {@code W} shaped
 * [kD, kH, kW, nIn, depthMultiplier] in c order.
 */
final class DepthwiseConvolution3DParamInitializer implements ParamInitializer {

    static final String WEIGHT = "W";
    static final String BIAS = "b";
    static final DepthwiseConvolution3DParamInitializer INSTANCE = new DepthwiseConvolution3DParamInitializer();

    private DepthwiseConvolution3DParamInitializer() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        DepthwiseConvolution3D conv = (DepthwiseConvolution3D) layer;
        return weightCount(conv) + (conv.hasBias() ? conv.getNOut() : 0);
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return ((DepthwiseConvolution3D) layer).hasBias() ? List.of(WEIGHT, BIAS) : List.of(WEIGHT);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WEIGHT);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return ((DepthwiseConvolution3D) layer).hasBias() ? List.of(BIAS) : List.of();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        DepthwiseConvolution3D conv = (DepthwiseConvolution3D) conf.getLayer();
        Map<String, INDArray> params = views(conv, paramsView);
        if (initializeParams) {
            int[] k = conv.getKernelSize();
            int[] s = conv.getStride();
            double taps = (double) k[0] * k[1] * k[2];
            INDArray w = params.get(WEIGHT);
            conv.getWeightInitFn().init(conv.getNIn() * taps, conv.getDepthMultiplier() * taps / (s[0] * s[1] * s[2]),
                    w.shape(), 'c', w);
            if (conv.hasBias()) {
                params.get(BIAS).assign(conv.getBiasInit());
            }
        }
        params.keySet().forEach(conf::addVariable);
        return Collections.synchronizedMap(params);
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((DepthwiseConvolution3D) conf.getLayer(), gradientView);
    }

    private static long weightCount(DepthwiseConvolution3D conv) {
        int[] k = conv.getKernelSize();
        return (long) k[0] * k[1] * k[2] * conv.getNIn() * conv.getDepthMultiplier();
    }

    private static Map<String, INDArray> views(DepthwiseConvolution3D conv, INDArray flat) {
        INDArray view = flat.reshape(flat.length());
        long bias = conv.hasBias() ? conv.getNOut() : 0;
        int[] k = conv.getKernelSize();
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(WEIGHT, view.get(NDArrayIndex.interval(bias, bias + weightCount(conv)))
                .reshape('c', k[0], k[1], k[2], conv.getNIn(), conv.getDepthMultiplier()));
        if (conv.hasBias()) {
            out.put(BIAS, view.get(NDArrayIndex.interval(0, bias)));
        }
        return out;
    }
}
