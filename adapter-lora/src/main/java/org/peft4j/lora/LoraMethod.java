package org.peft4j.lora;

import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.peft4j.spi.AdapterMethod;
import org.peft4j.spi.LayerAdapter;
import org.peft4j.spi.LayerPlan;
import org.peft4j.spi.WeightShape;

/**
 * LoRA (Hu et al. 2021) for dense layers, method name {@code lora}: adapts DL4J
 * {@link DenseLayer} and {@link OutputLayer} configurations with {@code y = act(x·W0 + b0 + s·(x·A)·B)}.
 */
public final class LoraMethod implements AdapterMethod<LoraConfig> {

    public static final String NAME = "lora";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<LoraConfig> configType() {
        return LoraConfig.class;
    }

    @Override
    public LoraConfig defaultConfig() {
        return LoraConfig.DEFAULT;
    }

    @Override
    public Optional<String> unsupportedReason(Layer layer) {
        if (layer.getClass() != DenseLayer.class && layer.getClass() != OutputLayer.class) {
            return Optional.of("lora adapts DenseLayer and OutputLayer (for convolutions use lora-conv or colora)");
        }
        if (layer instanceof DenseLayer dense && dense.hasLayerNorm()) {
            return Optional.of("layer normalisation (hasLayerNorm=true) is not supported");
        }
        if (((org.deeplearning4j.nn.conf.layers.BaseLayer) layer).getWeightNoise() != null) {
            return Optional.of("weight noise (e.g. DropConnect) on the frozen weights is not supported");
        }
        return Optional.empty();
    }

    @Override
    public LayerAdapter adapter(WeightShape weight, LoraConfig config, LayerPlan plan) {
        return new LoraDense(weight, config);
    }
}
