package org.peft4j.lora;

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
 * A 2D {@link ConvolutionLayer} (NCHW or NHWC) with the LoRA-conv update of Hugging Face PEFT:
 * {@code z = K0 ⊛ x + b0 + s·B ⊛ (A ⊛ x)}, A a convolution C_in -> r with the layer's kernel size,
 * stride, padding and dilation, B a 1x1 convolution r -> C_out, {@code s = alpha / r}. Keeps every
 * other setting of the wrapped layer. Parameters {@code W}, {@code b} (frozen), {@code A}
 * [r, C_in, kH, kW] and {@code B} [C_out, r] (trainable): see {@link LoraConvLayer}. The maths is in
 * {@link LoraConvBranch}; the runtime is {@link MergedConvRuntime}.
 */
public class LoraConvolutionLayer extends ConvolutionLayer implements LoraConvLayer {

    private LoraConfig lora;

    /** For JSON. */
    public LoraConvolutionLayer() {
    }

    /** The adapted form of {@code base} with hyper-parameters {@code lora}. */
    public static LoraConvolutionLayer of(ConvolutionLayer base, LoraConfig lora) {
        LoraConvolutionLayer layer = LayerConfigs.convert(base, LoraConvolutionLayer.class);
        layer.setLora(Objects.requireNonNull(lora, "lora"));
        return layer;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int index, INDArray paramsView, boolean initializeParams,
            DataType dataType) {
        LayerValidation.assertNInNOutSet("LoraConvolutionLayer", getLayerName(), index, getNIn(), getNOut());
        return RuntimeLayers.wire(new MergedConvRuntime(conf, dataType, new LoraConvBranch(this)), conf, listeners,
                index, paramsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return LoraConvParamInitializer.INSTANCE;
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
    public LoraConfig getLora() {
        return lora;
    }

    public void setLora(LoraConfig lora) {
        this.lora = lora;
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
        return o instanceof LoraConvolutionLayer other && super.equals(o) && Objects.equals(lora, other.lora);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof LoraConvolutionLayer;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Objects.hashCode(lora);
    }

    @Override
    public String toString() {
        return "LoraConvolutionLayer(" + lora + ", " + super.toString() + ")";
    }
}
