package org.peft4j.layers;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A frozen layer that passes gradients through to the layers below: DL4J's
 * {@link FrozenLayerWithBackprop}, corrected so that its parameters really stay fixed.
 *
 * <p>DL4J's runtime wrapper reports the wrapped layer's training configuration to the updater, so
 * the frozen parameters still get optimiser state and, worse, L2 / weight decay: they drift during
 * {@code fit}. This wrapper reports the NoOp updater and no regularisation instead (as DL4J's
 * plain {@code FrozenLayer} does), so the parameters stay bit-identical and hold no optimiser state.
 */
public class FrozenWithBackprop extends FrozenLayerWithBackprop {

    public FrozenWithBackprop(@JsonProperty("layer") org.deeplearning4j.nn.conf.layers.Layer layer) {
        super(layer);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
            INDArray paramsView, boolean initializeParams, DataType dataType) {
        org.deeplearning4j.nn.layers.FrozenLayerWithBackprop dl4j =
                (org.deeplearning4j.nn.layers.FrozenLayerWithBackprop) super.instantiate(conf, listeners, index,
                        paramsView, initializeParams, dataType);
        Layer inside = dl4j.getInsideLayer();
        return inside instanceof IOutputLayer ? new FrozenOutputRuntime(inside) : new FrozenWithBackpropRuntime(inside);
    }

    @Override
    public FrozenWithBackprop clone() {
        return (FrozenWithBackprop) super.clone();
    }
}
