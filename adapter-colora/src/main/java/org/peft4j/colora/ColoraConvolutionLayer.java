package org.peft4j.colora;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.peft4j.layers.MergedConvRuntime;
import org.peft4j.spi.FrozenKeys;
import org.peft4j.spi.LayerConfigs;
import org.peft4j.spi.RuntimeLayers;

/**
 * A 2D {@link ConvolutionLayer} (NCHW or NHWC) with a CoLoRA update (Rivera &amp; Hoyos, §3.2):
 * {@code O = act(K0 ⊛ I + b0 + Kd ⊛ (Kp ⊛ I) + db)}, pointwise then depthwise, the depthwise step
 * with the layer's own kernel size, stride, padding, convolution mode and dilation. Keeps every
 * other setting of the wrapped layer. Parameters {@code W}, {@code b} (frozen) and {@code Kp}
 * [C_out, C_in], {@code Kd} [C_out, kH, kW], {@code db} [C_out] (trainable): see {@link ColoraLayer}.
 * The maths is in {@link ColoraBranch}; the runtime is {@link MergedConvRuntime}.
 */
public class ColoraConvolutionLayer extends ConvolutionLayer implements ColoraLayer {

    private ColoraConfig colora;

    /** For JSON. */
    public ColoraConvolutionLayer() {
    }

    /** The adapted form of {@code base} with hyper-parameters {@code colora}. */
    public static ColoraConvolutionLayer of(ConvolutionLayer base, ColoraConfig colora) {
        ColoraConvolutionLayer layer = LayerConfigs.convert(base, ColoraConvolutionLayer.class);
        layer.setColora(Objects.requireNonNull(colora, "colora"));
        return layer;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int index, INDArray paramsView, boolean initializeParams,
            DataType dataType) {
        LayerValidation.assertNInNOutSet("ColoraConvolutionLayer", getLayerName(), index, getNIn(), getNOut());
        return RuntimeLayers.wire(new MergedConvRuntime(conf, dataType, new ColoraBranch(this)), conf, listeners,
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
        return new int[] {getKernelSize()[0], getKernelSize()[1]};
    }

    @Override
    public boolean oneDimensional() {
        return false;
    }

    @Override
    public Layer baseLayer() {
        return LayerConfigs.convert(this, ConvolutionLayer.class);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColoraConvolutionLayer other && super.equals(o) && Objects.equals(colora, other.colora);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof ColoraConvolutionLayer;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Objects.hashCode(colora);
    }

    @Override
    public String toString() {
        return "ColoraConvolutionLayer(" + colora + ", " + super.toString() + ")";
    }
}
