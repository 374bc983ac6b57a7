package org.peft4j.bench.model;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.peft4j.LayerSelector;
import org.peft4j.bench.train.InputSpec;

/**
 * A network family the runner can fine-tune: how to build it, which layers form the convolutional
 * backbone (frozen by head-only transfer), which form the head (trained by every method), and which
 * layers adapters target by default.
 */
public interface Backbone {

    /** Registry name, e.g. {@code vgg16}. */
    String name();

    /** The input the network expects. */
    InputSpec input();

    /** A network with {@code classes} outputs initialised from {@code seed} (and weights, when the backbone has them). */
    Model create(int classes, long seed);

    /** The last layer of the backbone: head-only transfer freezes it and everything before it. */
    String featureBoundary();

    /** The head's layers other than the output layer; they stay trainable for every method. */
    List<String> headLayers();

    /** The output layer; every method gets a fresh one. */
    String outputLayer();

    /** The layers adapters target unless told otherwise. */
    LayerSelector defaultTargets();

    /** One line for reports. */
    String describe();
}
