package org.peft4j.network;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Supplies parameter values when a network is rebuilt. */
@FunctionalInterface
public interface ParamSource {

    /**
     * The value for parameter {@code key} of layer {@code layer}, or null to keep the freshly
     * initialised value (e.g. a new head or new adapter parameters).
     */
    INDArray valueFor(String layer, String key);
}
