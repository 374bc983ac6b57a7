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
 * {@link FrozenLayerWithBackprop}, corrected so that its parameters really stay fixed, and made
 * cheap in the backward pass.
 *
 * <p>DL4J's runtime wrapper reports the wrapped layer's training configuration to the updater, so
 * the frozen parameters still get optimiser state and, worse, L2 / weight decay: they drift during
 * {@code fit}. This wrapper reports the NoOp updater and no regularisation instead (as DL4J's
 * plain {@code FrozenLayer} does), so the parameters stay bit-identical and hold no optimiser state.
 *
 * <p>Backward pass: a frozen 1D/2D convolution computes its input gradient only
 * ({@link FrozenConvBackprop}), never the weight gradient DL4J would compute and discard. When
 * {@link #isInputGradient()} is false (set by the injector when no trainable parameter lies
 * upstream of this layer, so no training gradient can need it) the layer skips its backward pass
 * altogether and hands a zero gradient down. A network with such layers therefore reports a zero
 * gradient with respect to its input; merge and unload it to get that gradient.
 */
public class FrozenWithBackprop extends FrozenLayerWithBackprop {

    private boolean inputGradient = true;

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
        return inside instanceof IOutputLayer ? new FrozenOutputRuntime(inside, inputGradient)
                : new FrozenWithBackpropRuntime(inside, inputGradient);
    }

    /** Whether the backward pass must compute the gradient with respect to this layer's input (default true). */
    public boolean isInputGradient() {
        return inputGradient;
    }

    public void setInputGradient(boolean inputGradient) {
        this.inputGradient = inputGradient;
    }

    @Override
    public FrozenWithBackprop clone() {
        return (FrozenWithBackprop) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrozenWithBackprop other && super.equals(o) && inputGradient == other.inputGradient;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Boolean.hashCode(inputGradient);
    }
}
