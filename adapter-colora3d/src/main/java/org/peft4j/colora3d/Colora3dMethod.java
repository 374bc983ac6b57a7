package org.peft4j.colora3d;

import java.util.List;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.peft4j.spi.BaseAdapterMethod;
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
public final class Colora3dMethod extends BaseAdapterMethod<Colora3dConfig> {

    public static final String NAME = "colora3d";

    public Colora3dMethod() {
        super(NAME, Colora3dConfig.class, Colora3dConfig.DEFAULT, List.of(Convolution3D.class));
    }

    @Override
    protected String unsupportedType(Layer layer) {
        return "colora3d adapts Convolution3D layers (for 1D and 2D convolutions use colora)";
    }

    @Override
    public LayerAdapter adapter(WeightShape weight, Colora3dConfig config, LayerPlan plan) {
        return new Colora3d(weight, config);
    }
}
