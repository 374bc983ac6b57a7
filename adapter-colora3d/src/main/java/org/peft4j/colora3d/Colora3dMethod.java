package org.peft4j.colora3d;

import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.peft4j.spi.AdapterMethod;
import org.peft4j.spi.LayerAdapter;
import org.peft4j.spi.LayerPlan;
import org.peft4j.spi.WeightShape;

/**
 * CoLoRA (Rivera &amp; Hoyos) for DL4J 3D convolutions, method name {@code colora3d}: adapts
 * {@link Convolution3D} layers (NCDHW or NDHWC, any convolution mode, stride, padding, dilation and
 * kernel shape) with a pointwise-then-depthwise update {@code ΔK[o, c, k] = Kd[o, k]·Kp[o, c]};
 * see {@link Colora3d} for the maths and the parameter keys.
 *
 * <pre>{@code
 * PeftModel<MultiLayerNetwork> model = Peft.apply(pretrained, PeftConfig.builder()
 *         .method("colora3d").targets(LayerSelector.byType(Convolution3D.class)).newOutput(11).build());
 * model.network().addListeners(new MergeEveryEpochs(1));   // the paper merges after every epoch
 * }</pre>
 */
public final class Colora3dMethod implements AdapterMethod<Colora3dConfig> {

    public static final String NAME = "colora3d";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<Colora3dConfig> configType() {
        return Colora3dConfig.class;
    }

    @Override
    public Colora3dConfig defaultConfig() {
        return Colora3dConfig.DEFAULT;
    }

    @Override
    public Optional<String> unsupportedReason(Layer layer) {
        if (layer.getClass() != Convolution3D.class) {
            return Optional.of("colora3d adapts Convolution3D layers (for 1D and 2D convolutions use colora)");
        }
        if (((Convolution3D) layer).getWeightNoise() != null) {
            return Optional.of("weight noise (e.g. DropConnect) on the frozen kernel is not supported");
        }
        return Optional.empty();
    }

    @Override
    public LayerAdapter adapter(WeightShape weight, Colora3dConfig config, LayerPlan plan) {
        return new Colora3d(weight, config);
    }
}
