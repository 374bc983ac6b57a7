package org.peft4j.multimethod;

import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.peft4j.AdapterRegistry;
import org.peft4j.LayerSelector;
import org.peft4j.PeftConfig;
import org.peft4j.colora.ColoraConfig;
import org.peft4j.colora.ColoraMethod;
import org.peft4j.lora.LoraConfig;
import org.peft4j.lora.LoraConvMethod;
import org.peft4j.lora.LoraMethod;
import org.peft4j.spi.AdapterConfig;

/**
 * CoLoRA on the convolutions and LoRA on the dense layers of {@link org.peft4j.testkit.MixedNets}, in one model:
 * the rules, and what each layer must end up with.
 */
final class MultiMethodFixtures {

    static final ColoraConfig COLORA = new ColoraConfig(1.0);
    static final LoraConfig LORA = LoraConfig.of(2, 4);

    private MultiMethodFixtures() {
    }

    static AdapterRegistry registry() {
        return AdapterRegistry.of(new ColoraMethod(), new LoraMethod(), new LoraConvMethod());
    }

    /** colora on every ConvolutionLayer, lora (r = 2, alpha = 4) on every DenseLayer. */
    static PeftConfig.Builder rules() {
        return PeftConfig.builder()
                .rule(LayerSelector.byType(ConvolutionLayer.class), "colora", COLORA)
                .rule(LayerSelector.byType(DenseLayer.class), "lora", LORA);
    }

    static String method(String layer) {
        return isConvolution(layer) ? "colora" : "lora";
    }

    static boolean isConvolution(String layer) {
        return layer.startsWith("conv") || layer.equals("a") || layer.equals("b");
    }

    static List<Supplier<AdapterConfig>> invalidConfigs() {
        return List.of(() -> LoraConfig.of(0, 4), () -> new ColoraConfig(0));
    }
}
