package org.peft4j.lora;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.peft4j.spi.FrozenKeys;
import org.peft4j.spi.LayerConfigs;
import org.peft4j.spi.RuntimeLayers;

/**
 * An {@link OutputLayer} with a LoRA update on its pre-activation {@code x·W0 + b0 + s·(x·A)·B} (loss and activation unchanged). Keeps every
 * setting of the wrapped layer (activation, input dropout, updater for the adapter, ...).
 * Parameters: {@code W} [nIn, nOut] and {@code b} [nOut] frozen, {@code A} [nIn, r] and
 * {@code B} [r, nOut] trainable ({@link LoraLayer}).
 */
public class LoraOutputLayer extends OutputLayer implements LoraLayer {

    private LoraConfig lora;

    /** For JSON. */
    public LoraOutputLayer() {
    }

    /** The adapted form of {@code base} with hyper-parameters {@code lora}. */
    public static LoraOutputLayer of(OutputLayer base, LoraConfig lora) {
        LoraOutputLayer layer = LayerConfigs.convert(base, LoraOutputLayer.class);
        layer.setLora(Objects.requireNonNull(lora, "lora"));
        return layer;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int index, INDArray paramsView, boolean initializeParams,
            DataType dataType) {
        return RuntimeLayers.wire(new LoraOutputRuntime(conf, dataType), conf, listeners, index, paramsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return LoraParamInitializer.INSTANCE;
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
    public Layer baseLayer() {
        return LayerConfigs.convert(this, OutputLayer.class);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoraOutputLayer other && super.equals(o) && Objects.equals(lora, other.lora);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof LoraOutputLayer;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Objects.hashCode(lora);
    }

    @Override
    public String toString() {
        return "LoraOutputLayer(" + lora + ", " + super.toString() + ")";
    }
}
