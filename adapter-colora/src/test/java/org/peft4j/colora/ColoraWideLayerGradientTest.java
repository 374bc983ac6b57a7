package org.peft4j.colora;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peft4j.testkit.WideConvLayerCheck;

/**
 * CoLoRA on a wide layer with few output positions (256 input channels at 4x4), where the core computes the
 * factor gradients through the pointwise and depthwise convolutions instead of from the merged kernel's
 * gradient: DL4J's double-precision gradient check in both data formats, with and without a bias, in Same and
 * symmetric Truncate padding; in float (the natives the suite runs on) against double precision.
 */
class ColoraWideLayerGradientTest {

    private static final WideConvLayerCheck CHECK = new WideConvLayerCheck("colora", ColoraConfig.DEFAULT,
            ColoraFixtures.registry());

    @ParameterizedTest(name = "{0}, bias {1}, {2}")
    @CsvSource({"NCHW, true, Same", "NCHW, false, Truncate", "NHWC, true, Truncate", "NHWC, false, Same"})
    void factorGradientsThroughTheConvolutionsPassTheGradientCheck(CNN2DFormat format, boolean bias,
            ConvolutionMode mode) {
        CHECK.passesTheGradientCheck(format, bias, mode, 256, 4);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"NCHW", "NHWC"})
    void inFloatTheGradientsMatchDoublePrecision(CNN2DFormat format) {
        CHECK.inFloatMatchesDoublePrecision(format, 256, 4);
    }
}
