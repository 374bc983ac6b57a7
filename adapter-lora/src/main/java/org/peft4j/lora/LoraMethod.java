package org.peft4j.lora;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.peft4j.spi.BaseAdapterMethod;
import org.peft4j.spi.LayerAdapter;
import org.peft4j.spi.LayerPlan;
import org.peft4j.spi.TargetLayer;
import org.peft4j.spi.WeightShape;

/**
 * LoRA (Hu et al. 2021) for dense layers, method name {@code lora}: adapts DL4J
 * {@link DenseLayer} and {@link OutputLayer} configurations with {@code y = act(x·W0 + b0 + s·(x·A)·B)}.
 */
public final class LoraMethod extends BaseAdapterMethod<LoraConfig> {

    public static final String NAME = "lora";

    public LoraMethod() {
        super(NAME, LoraConfig.class, LoraConfig.DEFAULT, List.of(DenseLayer.class, OutputLayer.class));
    }

    @Override
    protected String unsupportedType(Layer layer) {
        return "lora adapts DenseLayer and OutputLayer (for convolutions use lora-conv or colora)";
    }

    /** Each layer on its own, once the rank fits every target ({@link LoraRank}). */
    @Override
    public Map<String, LayerPlan> plan(List<TargetLayer> targets, LoraConfig config) {
        LoraRank.requireFits(NAME, targets, config);
        return super.plan(targets, config);
    }

    @Override
    public LayerAdapter adapter(WeightShape weight, LoraConfig config, LayerPlan plan) {
        return new LoraDense(weight, config);
    }
}
