package org.peft4j.colora;

import java.util.List;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.peft4j.spi.BaseAdapterMethod;
import org.peft4j.spi.LayerAdapter;
import org.peft4j.spi.LayerPlan;
import org.peft4j.spi.WeightShape;

/**
 * CoLoRA (Rivera &amp; Hoyos: convolutional low-rank adaptation), method name {@code colora}: adapts
 * DL4J {@link ConvolutionLayer} (2D) and {@link Convolution1DLayer} (1D) configurations with
 * {@code O = act(K0 ⊛ I + b0 + Kd ⊛ (Kp ⊛ I) + db)} ({@link Colora}).
 *
 * <p>Refused, because a per-output-channel depthwise kernel times a pointwise kernel is not their
 * weight update: depthwise, separable and transposed convolutions, and subclasses of the two
 * layer types (3D convolutions are method {@code colora3d}'s).
 */
public final class ColoraMethod extends BaseAdapterMethod<ColoraConfig> {

    public static final String NAME = "colora";

    public ColoraMethod() {
        super(NAME, ColoraConfig.class, ColoraConfig.DEFAULT, List.of(ConvolutionLayer.class, Convolution1DLayer.class));
    }

    @Override
    protected String unsupportedType(Layer layer) {
        if (layer instanceof DepthwiseConvolution2D) {
            return "depthwise convolutions (one kernel per input channel) are not supported: "
                    + "CoLoRA's update Kd[o]·Kp[o, c] is a full [C_out, C_in, k] kernel";
        }
        if (layer instanceof SeparableConvolution2D) {
            return "separable convolutions (depthwise + pointwise) are not supported; adapt a plain ConvolutionLayer";
        }
        if (layer instanceof Deconvolution2D || layer instanceof Deconvolution3D) {
            return "transposed convolutions (Deconvolution2D/3D) are not supported";
        }
        if (layer instanceof Convolution3D) {
            return "3D convolutions are adapted by method colora3d";
        }
        if (layer instanceof ConvolutionLayer) {
            return layer.getClass().getSimpleName() + " is a subclass of ConvolutionLayer that colora does not "
                    + "adapt; build the layer with ConvolutionLayer or Convolution1DLayer";
        }
        return "colora adapts ConvolutionLayer (2D) and Convolution1DLayer (1D)";
    }

    @Override
    public LayerAdapter adapter(WeightShape weight, ColoraConfig config, LayerPlan plan) {
        return new Colora(weight, config);
    }
}
