package org.peft4j.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.conf.misc.DummyConfig;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime of {@link FrozenWithBackprop}: no updater, no regularisation for the wrapped parameters;
 * a frozen convolution computes its input gradient alone, and a layer with nothing trainable
 * upstream skips its backward pass.
 */
public class FrozenWithBackpropRuntime extends FrozenLayerWithBackprop {

    private final TrainingConfig frozen;
    private final boolean inputGradient;

    public FrozenWithBackpropRuntime(Layer insideLayer, boolean inputGradient) {
        super(insideLayer);
        this.frozen = new DummyConfig(insideLayer.getConfig().getLayerName());
        this.inputGradient = inputGradient;
    }

    @Override
    public TrainingConfig getConfig() {
        return frozen;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Layer inside = getInsideLayer();
        if (!inputGradient && inside.input() != null) {
            INDArray input = inside.input();
            return new Pair<>(new DefaultGradient(), workspaceMgr.create(ArrayType.ACTIVATION_GRAD,
                    epsilon == null ? input.dataType() : epsilon.dataType(), input.shape(), input.ordering()));
        }
        if (epsilon != null && inside.input() != null && FrozenConvBackprop.supports(inside)) {
            return new Pair<>(new DefaultGradient(), FrozenConvBackprop.inputGradient(inside, epsilon, workspaceMgr));
        }
        return super.backpropGradient(epsilon, workspaceMgr);
    }
}
