package org.peft4j.spi;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.ops.ConvPass;

/**
 * An adapter's parameter gradients on a 2D convolution computed from the layer's input and output gradient
 * directly, instead of from {@code G = dL/dW} of the merged kernel ({@link LayerAdapter#backward}). The core uses it
 * on layers where forming {@code G} costs more than the adapter's own route (few output positions, many channels);
 * both routes give the same gradients up to float round-off.
 */
public interface DirectConvGradients {

    /**
     * Writes the gradient of every parameter.
     *
     * @param pass         the step's input and output gradient ({@link ConvPass})
     * @param biasGradient {@code dL/db [C_out]}, or null when the layer has no bias
     */
    void backward(AdapterParameters params, ConvPass pass, INDArray biasGradient, AdapterGradients gradients);
}
