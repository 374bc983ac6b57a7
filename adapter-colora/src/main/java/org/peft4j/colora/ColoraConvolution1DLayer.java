package org.peft4j.colora;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.peft4j.layers.MergedConv1dRuntime;
import org.peft4j.spi.FrozenKeys;
import org.peft4j.spi.LayerConfigs;
import org.peft4j.spi.RuntimeLayers;

/**
 * A 1D {@link Convolution1DLayer} (NCW or NWC; Same, Truncate, Strict or Causal) with a CoLoRA
 * update: {@code O = act(K0 ⊛ I + b0 + Kd ⊛ (Kp ⊛ I) + db)}, pointwise then depthwise, the
 * depthwise step with the layer's own kernel size, stride, padding, convolution mode and dilation.
 * Parameters {@code W} [C_out, C_in, k, 1] (DL4J's layout, see {@link ColoraLayer}), {@code b}
 * (frozen) and {@code Kp} [C_out, C_in], {@code Kd} [C_out, k], {@code db} [C_out] (trainable).
 * The maths is in {@link ColoraBranch}; the runtime is {@link MergedConv1dRuntime}.
 */
public class ColoraConvolution1DLayer extends Convolution1DLayer implements ColoraLayer {

    private ColoraConfig colora;

    /** For JSON. */
    public ColoraConvolution1DLayer() {
    }

    /** The adapted form of {@code base} with hyper-parameters {@code colora}. */
    public static ColoraConvolution1DLayer of(Convolution1DLayer base, ColoraConfig colora) {
        ColoraConvolution1DLayer layer = LayerConfigs.convert(base, ColoraConvolution1DLayer.class);
        layer.setColora(Objects.requireNonNull(colora, "colora"));
        return layer;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int index, INDArray paramsView, boolean initializeParams,
            DataType dataType) {
        LayerValidation.assertNInNOutSet("ColoraConvolution1DLayer", getLayerName(), index, getNIn(), getNOut());
        return RuntimeLayers.wire(new MergedConv1dRuntime(conf, dataType, new ColoraBranch(this)), conf, listeners,
                index, paramsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return ColoraParamInitializer.INSTANCE;
    }

    @Override
    public IUpdater getUpdaterByParam(String key) {
        return FrozenKeys.updater(this, key, super.getUpdaterByParam(key));
    }

    @Override
    public List<Regularization> getRegularizationByParam(String key) {
        return FrozenKeys.regularization(this, key, super.getRegularizationByParam(key));
    }

    @Override
    public ColoraConfig getColora() {
        return colora;
    }

    public void setColora(ColoraConfig colora) {
        this.colora = colora;
    }

    @Override
    public int[] kernelHW() {
        return new int[] {1, getKernelSize()[0]};
    }

    @Override
    public boolean oneDimensional() {
        return true;
    }

    @Override
    public Layer baseLayer() {
        return LayerConfigs.convert(this, Convolution1DLayer.class);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColoraConvolution1DLayer other && super.equals(o) && Objects.equals(colora, other.colora);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof ColoraConvolution1DLayer;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Objects.hashCode(colora);
    }

    @Override
    public String toString() {
        return "ColoraConvolution1DLayer(" + colora + ", " + super.toString() + ")";
    }
}
