package org.peft4j.lora;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.peft4j.spi.AdapterMethod;
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
public final class LoraConvMethod implements AdapterMethod<LoraConfig> {

    public static final String NAME = "lora-conv";

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
        if (layer.getClass() != ConvolutionLayer.class && layer.getClass() != Convolution1DLayer.class) {
            return Optional.of("lora-conv adapts ConvolutionLayer (2D) and Convolution1DLayer (1D) only "
                    + "(no depthwise, separable, transposed or 3D convolutions)");
        }
        if (((ConvolutionLayer) layer).getWeightNoise() != null) {
            return Optional.of("weight noise (e.g. DropConnect) on the frozen kernel is not supported");
        }
        return Optional.empty();
    }

    @Override
    public Map<String, LayerPlan> plan(List<TargetLayer> targets, LoraConfig config) {
        if (config.dropout() != 0) {
            throw new IllegalArgumentException("lora-conv needs LoRA dropout 0 (its branch is applied as a merged "
                    + "kernel), got " + config.dropout());
        }
        return AdapterMethod.super.plan(targets, config);
    }

    @Override
    public LayerAdapter adapter(WeightShape weight, LoraConfig config, LayerPlan plan) {
        return new LoraConv(weight, config);
    }
}
