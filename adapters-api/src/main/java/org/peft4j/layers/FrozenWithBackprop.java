package org.peft4j.layers;

import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.peft4j.spi.LayerPlan;
import org.peft4j.spi.WeightShape;

/**
 * A frozen layer of an adapted network: DL4J's {@link FrozenLayerWithBackprop}, corrected so that its
 * parameters really stay fixed, run on peft4j's execution core, and without a backward pass where none is needed.
 *
 * <p>DL4J's own wrapper reports the wrapped layer's training configuration to the updater, so frozen
 * parameters still get optimiser state and, worse, L2 / weight decay: they drift during {@code fit}. This one
 * reports the NoOp updater and no regularisation, so they stay bit-identical and hold no optimiser state.
 *
 * <p>Layers with a weight ({@link WeightShape#of}) run on {@link LayerRuntime}: a convolution's backward pass
 * computes its input gradient alone, by the cheapest native route, never the weight gradient DL4J would form and
 * discard. Other layers (batch normalisation, ...) run DL4J's own code. As in DL4J, a frozen layer computes as in
 * inference (no dropout, batch normalisation on its running statistics).
 *
 * <p>{@link #isInputGradient()} false (set by the injector when no trainable parameter lies upstream, so no
 * training gradient can need this layer's input gradient): the runtime is DL4J's {@link FrozenLayer}, at which
 * {@code MultiLayerNetwork} and {@code ComputationGraph} stop backpropagation, as PyTorch's autograd stops below
 * the lowest trainable parameter. The injector wraps every layer in that region this way, parameter-free ones
 * (pooling, activations) included. A network with such layers reports a zero gradient with respect to its
 * input; merge and unload it to get that gradient.
 */
public class FrozenWithBackprop extends FrozenLayerWithBackprop {

    private boolean inputGradient = true;

    public FrozenWithBackprop(@JsonProperty("layer") org.deeplearning4j.nn.conf.layers.Layer layer) {
        super(layer);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
            INDArray paramsView, boolean initializeParams, DataType dataType) {
        Layer runtime;
        if (WeightShape.of(getUnderlying()).isPresent()) {
            runtime = LayerRuntime.create(conf, this, null, LayerPlan.ALONE, listeners, index, paramsView,
                    initializeParams, dataType);
        } else {
            Layer inside = getUnderlying().instantiate(getInnerConf(conf), listeners, index, paramsView,
                    initializeParams, dataType);
            WrappedParamInitializer.INSTANCE.init(conf, paramsView, false);
            runtime = inside instanceof IOutputLayer ? new FrozenOutputRuntime(inside)
                    : new FrozenWithBackpropRuntime(inside);
        }
        return inputGradient ? runtime : new FrozenLayer(runtime);
    }

    @Override
    public ParamInitializer initializer() {
        return WrappedParamInitializer.INSTANCE;
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return new NoOp();
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return List.of();
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
