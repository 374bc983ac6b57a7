package org.peft4j.layers;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.peft4j.spi.AdapterParameters;

/**
 * What an adapted layer's merged weights were last computed from, so that a repeated pass (inference, or the
 * score and backward passes after a training forward pass) can tell in two native ops whether they are still
 * valid, whatever the number of parameters.
 *
 * <p>A layer's flat parameter view is {@code [frozen base parameters | adapter parameters the layer holds]}
 * (see {@code WrappedParamInitializer}). The snapshot keeps a checksum of the first range (one sum) and a copy of
 * the second (compared with one exact comparison). Parameters of a shared group that another layer holds live in
 * that layer's view and are copied and compared one by one. Any change of an adapter parameter (an update, a
 * loaded file, a gradient check's perturbation) or of a frozen one (a merge, {@code setParams}) makes
 * {@link #matches} false.
 */
final class MergeSnapshot {

    private final boolean baseOnly;
    private final long frozenBits;
    private final INDArray held;
    private final List<String> sharedKeys;
    private final List<INDArray> shared;

    private MergeSnapshot(boolean baseOnly, long frozenBits, INDArray held, List<String> sharedKeys,
            List<INDArray> shared) {
        this.baseOnly = baseOnly;
        this.frozenBits = frozenBits;
        this.held = held;
        this.sharedKeys = sharedKeys;
        this.shared = shared;
    }

    /**
     * The state of the layer now.
     *
     * @param frozenChecksum {@link #frozenChecksum} of the layer now
     * @param flat       the layer's parameter view as one row {@code [1, n]}
     * @param baseLength the length of the frozen range at its start
     * @param sharedKeys adapter keys the layer reads from another layer of a group
     * @param current    the adapter's parameters as the layer sees them
     */
    static MergeSnapshot take(boolean baseOnly, long frozenChecksum, INDArray flat, long baseLength,
            List<String> sharedKeys, AdapterParameters current) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            INDArray heldRange = heldRange(flat, baseLength);
            List<INDArray> shared = new ArrayList<>();
            for (String key : sharedKeys) {
                shared.add(current.get(key).dup('c'));
            }
            return new MergeSnapshot(baseOnly, frozenChecksum,
                    heldRange == null ? null : heldRange.dup('c'), List.copyOf(sharedKeys), shared);
        }
    }

    /** True when the layer's parameters are the ones this snapshot was taken from (and {@code baseOnly} the same). */
    boolean matches(boolean baseOnly, long frozenChecksum, INDArray flat, long baseLength, AdapterParameters current) {
        if (baseOnly != this.baseOnly || frozenChecksum != frozenBits) {
            return false;
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            INDArray heldRange = heldRange(flat, baseLength);
            if ((heldRange == null) != (held == null) || heldRange != null && !held.equalsWithEps(heldRange, 0.0)) {
                return false;
            }
            for (int i = 0; i < sharedKeys.size(); i++) {
                INDArray value = current.get(sharedKeys.get(i));
                if (!shared.get(i).equalShapes(value) || !shared.get(i).equalsWithEps(value, 0.0)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * A checksum of the frozen range {@code [0, baseLength)} of {@code flat}: the bits of its sum, so that a NaN
     * sum equals itself. One native op.
     */
    static long frozenChecksum(INDArray flat, long baseLength) {
        if (baseLength == 0) {
            return 0L;
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            return Double.doubleToLongBits(frozenRange(flat, baseLength).sumNumber().doubleValue());
        }
    }

    private static INDArray frozenRange(INDArray flat, long baseLength) {
        return baseLength == flat.length() ? flat
                : flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, baseLength));
    }

    private static INDArray heldRange(INDArray flat, long baseLength) {
        return baseLength == flat.length() ? null
                : flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(baseLength, flat.length()));
    }
}
