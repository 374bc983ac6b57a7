package org.peft4j.spi;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Where an adapter's backward pass writes the gradients of its parameters. */
public interface AdapterGradients {

    /**
     * The gradient of parameter {@code key} (its shape, any data type). For a shared parameter this is the
     * layer's contribution: the runtime sums the contributions of every member into the owner's gradient.
     */
    void set(String key, INDArray gradient);

    /** The minibatch size of this backward pass. */
    long batchSize();

    /**
     * True when DL4J divides the whole gradient by the minibatch size before the update (its default): a
     * term added once per minibatch, like a regulariser's, must then be multiplied by {@link #batchSize()}.
     */
    boolean miniBatch();
}
