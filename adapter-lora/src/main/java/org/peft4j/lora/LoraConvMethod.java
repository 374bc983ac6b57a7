package org.peft4j.lora;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.peft4j.spi.BaseAdapterMethod;
import org.peft4j.spi.LayerAdapter;
import org.peft4j.spi.LayerPlan;
import org.peft4j.spi.TargetLayer;
import org.peft4j.spi.WeightShape;

/**
 * LoRA for convolutions as Hugging Face PEFT implements it (the baseline CoLoRA is compared with),
 * method name {@code lora-conv}: adapts DL4J {@link ConvolutionLayer} (2D) and
 * {@link Convolution1DLayer} (1D) configurations with {@code z = K0 ⊛ x + b0 + s·B ⊛ (A ⊛ x)}
 * ({@link LoraConv}). Takes a {@link LoraConfig} with dropout 0: dropout on the branch input
 * would make the branch differ from the merged kernel's effect.
 */
public final class LoraConvMethod extends BaseAdapterMethod<LoraConfig> {

    public static final String NAME = "lora-conv";

    public LoraConvMethod() {
        super(NAME, LoraConfig.class, LoraConfig.DEFAULT, List.of(ConvolutionLayer.class, Convolution1DLayer.class));
    }

    @Override
    protected String unsupportedType(Layer layer) {
        return "lora-conv adapts ConvolutionLayer (2D) and Convolution1DLayer (1D) only "
                + "(no depthwise, separable, transposed or 3D convolutions)";
    }

    @Override
    public Map<String, LayerPlan> plan(List<TargetLayer> targets, LoraConfig config) {
        if (config.dropout() != 0) {
            throw new IllegalArgumentException("lora-conv needs LoRA dropout 0 (its branch is applied as a merged "
                    + "kernel), got " + config.dropout());
        }
        LoraRank.requireFits(NAME, targets, config);
        return super.plan(targets, config);
    }

    @Override
    public LayerAdapter adapter(WeightShape weight, LoraConfig config, LayerPlan plan) {
        return new LoraConv(weight, config);
    }
}
