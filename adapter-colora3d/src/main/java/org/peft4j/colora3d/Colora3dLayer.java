package org.peft4j.colora3d;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.peft4j.spi.AdaptedLayer;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.spi.FrozenKeys;
import org.peft4j.spi.LayerConfigs;

/**
 * A {@link Convolution3D} with a CoLoRA update (Rivera &amp; Hoyos, §3.2: pointwise, then depthwise):
 * <pre>
 *   O = act(K0 ⊛ I + b0 + Kd ⊛ (Kp ⊛ I) + db)
 * </pre>
 * where {@code Kp ⊛} is a pointwise (1x1x1, stride 1, unpadded, bias-free) convolution
 * {@code C_in -> C_out} and {@code Kd ⊛} a depthwise convolution with the base layer's kernel size,
 * stride, padding, convolution mode and dilation. Keeps every setting of the wrapped layer (data
 * format, activation, dropout, updater for the adapter, ...). Parameters:
 * <ul>
 *   <li>{@code W} [C_out, C_in, kD, kH, kW] frozen, DL4J's Convolution3D layout (c order);</li>
 *   <li>{@code b} [C_out] frozen (only when the layer has a bias);</li>
 *   <li>{@code Kp} [C_out, C_in] trainable, drawn by {@link PointwiseInit};</li>
 *   <li>{@code Kd} [C_out, kD, kH, kW] trainable, zero at init;</li>
 *   <li>{@code db} [C_out] trainable, zero at init (only when the layer has a bias).</li>
 * </ul>
 * Flat parameter view order: {@code b, W, Kp, Kd, db} (DL4J's Convolution3D order, then the adapter).
 */
public class Colora3dLayer extends Convolution3D implements AdaptedLayer {

    public static final String WEIGHT = "W";
    public static final String BIAS = "b";
    public static final String POINTWISE = "Kp";
    public static final String DEPTHWISE = "Kd";
    public static final String BIAS_DELTA = "db";

    private Colora3dConfig colora;

    /** For JSON. */
    public Colora3dLayer() {
    }

    /** The adapted form of {@code base} with hyper-parameters {@code colora}. */
    public static Colora3dLayer of(Convolution3D base, Colora3dConfig colora) {
        Colora3dLayer layer = LayerConfigs.convert(base, Colora3dLayer.class);
        layer.setColora(Objects.requireNonNull(colora, "colora"));
        return layer;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int index, INDArray paramsView, boolean initializeParams,
            DataType dataType) {
        Colora3dRuntime layer = new Colora3dRuntime(conf, dataType);
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        Map<String, INDArray> params = initializer().init(conf, paramsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return Colora3dParamInitializer.INSTANCE;
    }

    @Override
    public IUpdater getUpdaterByParam(String key) {
        return FrozenKeys.updater(this, key, super.getUpdaterByParam(key));
    }

    @Override
    public List<Regularization> getRegularizationByParam(String key) {
        return FrozenKeys.regularization(this, key, super.getRegularizationByParam(key));
    }

    public Colora3dConfig getColora() {
        return colora;
    }

    public void setColora(Colora3dConfig colora) {
        this.colora = colora;
    }

    @Override
    public String methodName() {
        return Colora3dMethod.NAME;
    }

    @Override
    public AdapterConfig adapterConfig() {
        return colora;
    }

    @Override
    public Layer baseLayer() {
        return LayerConfigs.convert(this, Convolution3D.class);
    }

    @Override
    public List<String> frozenKeys() {
        return hasBias() ? List.of(WEIGHT, BIAS) : List.of(WEIGHT);
    }

    @Override
    public List<String> adapterKeys() {
        return hasBias() ? List.of(POINTWISE, DEPTHWISE, BIAS_DELTA) : List.of(POINTWISE, DEPTHWISE);
    }

    @Override
    public Colora3dLayer clone() {
        return (Colora3dLayer) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Colora3dLayer other && super.equals(o) && Objects.equals(colora, other.colora);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof Colora3dLayer;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Objects.hashCode(colora);
    }

    @Override
    public String toString() {
        return "Colora3dLayer(" + colora + ", " + super.toString() + ")";
    }
}
