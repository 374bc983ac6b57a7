package org.peft4j.lora;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peft4j.AdapterRegistry;
import org.peft4j.testkit.WideConvLayerCheck;

/**
 * LoRA-conv on a wide layer with few output positions (256 input channels at 4x4 and 5x5), where the core computes
 * {@code dA} and {@code dB} through the branch ({@code A ⊛ x}, then the 1x1 {@code B}) instead of from the merged
 * kernel's gradient: DL4J's double-precision gradient check in both data formats, with and without a bias, in Same
 * and symmetric Truncate padding; in float (the natives the suite runs on) against double precision.
 */
class LoraConvWideLayerGradientTest {

    private static final WideConvLayerCheck CHECK = new WideConvLayerCheck("lora-conv", LoraConfig.of(4, 8),
            AdapterRegistry.of(new LoraConvMethod()));

    @ParameterizedTest(name = "{0}, bias {1}, {2}, {3}x{3}")
    @CsvSource({"NCHW, true, Same, 4", "NCHW, false, Truncate, 4", "NHWC, true, Truncate, 4", "NHWC, false, Same, 4",
        "NCHW, true, Same, 5"})
    void gradientsThroughTheBranchPassTheGradientCheck(CNN2DFormat format, boolean bias, ConvolutionMode mode,
            int size) {
        CHECK.passesTheGradientCheck(format, bias, mode, 256, size);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"NCHW", "NHWC"})
    void inFloatTheGradientsMatchDoublePrecision(CNN2DFormat format) {
        CHECK.inFloatMatchesDoublePrecision(format, 256, 4);
    }
}
