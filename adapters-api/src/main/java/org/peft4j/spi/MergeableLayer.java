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

    /**
     * Frozen state of the adapter that is not a parameter but that its trained values depend on (e.g.
     * tCURLoRA's selected rows and columns), as readable strings; adapter files store it in their header
     * so that a file is refused on a base network where that state comes out differently. Empty by
     * default.
     */
    default Map<String, String> adapterState() {
        return Map.of();
    }

    /**
     * Checks the state an adapter file recorded ({@link #adapterState()} of the layer that saved it)
     * against this layer's.
     *
     * @throws IllegalArgumentException naming what differs, when the file's adapter does not fit this layer
     */
    default void checkAdapterState(Map<String, String> saved) {
        Map<String, String> mine = adapterState();
        for (Map.Entry<String, String> entry : mine.entrySet()) {
            String value = saved.get(entry.getKey());
            if (!entry.getValue().equals(value)) {
                throw new IllegalArgumentException("adapter state '" + entry.getKey() + "' is " + value
                        + " in the file but " + entry.getValue() + " here");
            }
        }
    }
}
