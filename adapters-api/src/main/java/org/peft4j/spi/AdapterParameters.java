package org.peft4j.spi;

import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The values an adapter reads: its parameters (own or shared) and the state its group derives from frozen weights. */
public interface AdapterParameters {

    /**
     * The value of parameter {@code key}: this layer's own, or, for a shared parameter, a live view of the
     * owner's. Do not modify it, except in {@link LayerAdapter#initialise} for a parameter {@link #holds held}
     * by this layer.
     */
    INDArray get(String key);

    /** True when this layer holds {@code key} (not shared, or this layer owns its group). */
    boolean holds(String key);

    /** The data type to compute in (the network's, or double when a merge asks for the exact update). */
    DataType dataType();

    /** The layer's name. */
    String layerName();

    /**
     * State derived from the frozen weights of the layers that share {@code key} (e.g. tCURLoRA's selected rows
     * and columns): computed by {@code compute} from the group's members, in group order, on first use, and
     * kept until a merge changes their weights.
     */
    <T> T derived(String key, Function<List<GroupMember>, T> compute);
}
