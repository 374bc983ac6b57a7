package org.peft4j.spi;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A layer of a group that shares parameters, as the group's derived state sees it. */
public interface GroupMember {

    /** The layer's name. */
    String layerName();

    /** The layer's weight. */
    WeightShape weight();

    /** The layer's plan. */
    LayerPlan plan();

    /** The layer's frozen weight in the layout of {@link WeightShape#shape()}, a new array. */
    INDArray frozenWeight();
}
