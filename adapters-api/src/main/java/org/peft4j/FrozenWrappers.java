package org.peft4j;

import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;

/** DL4J's frozen-layer wrappers ({@code FrozenLayer}, {@code FrozenLayerWithBackprop}) seen through. */
final class FrozenWrappers {

    private FrozenWrappers() {
    }

    /** The layer a frozen wrapper holds, or {@code config} itself. */
    static Layer unwrap(Layer config) {
        if (config instanceof FrozenLayerWithBackprop frozen) {
            return frozen.getUnderlying();
        }
        if (config instanceof FrozenLayer frozen) {
            return frozen.getLayer();
        }
        return config;
    }

    /** True when {@code config} is one of DL4J's frozen wrappers. */
    static boolean isFrozen(Layer config) {
        return config instanceof FrozenLayerWithBackprop || config instanceof FrozenLayer;
    }
}
