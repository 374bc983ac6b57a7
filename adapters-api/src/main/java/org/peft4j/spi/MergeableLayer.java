package org.peft4j.spi;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime side of an adapted layer: what merging needs.
 *
 * <p>{@link #baseDelta()} is the single source of truth for the method's maths: merge in place,
 * merge-and-unload and the tests all use it.
 */
public interface MergeableLayer {

    /**
     * The update the adapter currently makes to the frozen parameters: for each frozen key, an
     * array with exactly the shape (and element order) of {@code paramTable().get(key)}, such that
     * the layer with {@code base + delta} and a reset adapter computes what this layer computes now.
     * Keys whose delta is zero may be left out. Must not modify any parameter.
     */
    Map<String, INDArray> baseDelta();

    /**
     * Resets the adapter after its delta has been added to the frozen parameters, so that the
     * layer again equals its (now merged) base: e.g. LoRA sets {@code B = 0} and re-draws {@code A}.
     * Called only after every adapted layer of the network has had its delta written.
     */
    void resetAdapter();
}
