package org.peft4j.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.Indexer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.peft4j.spi.AdapterParameters;

/**
 * What an adapted layer's merged weights were last computed from, so that a repeated pass (inference, or the
 * score and backward passes after a training forward pass) can tell cheaply whether they are still valid.
 *
 * <p>A layer's flat parameter view is {@code [frozen base parameters | adapter parameters the layer holds]}
 * (see {@code WrappedParamInitializer}). Two routes, chosen by the view's length:
 * <ul>
 *   <li><b>Small layers</b> (at most {@link #HEAP_ROUTE_MAX_LENGTH} float or double parameters in one contiguous
 *       view): a copy of the whole view on the Java heap, compared bit for bit by reading the native buffer in
 *       place. For a few tens of thousands of numbers this takes microseconds, where each native op costs more
 *       in call and thread wake-up overhead than in arithmetic (a small 3D network's inference pass paid about a
 *       tenth of its time for two ops per layer).</li>
 *   <li><b>Larger layers</b>: a checksum of the frozen range (the bits of its sum, one native op) and a copy of
 *       the held adapter range (compared with one exact native comparison), so that no second copy of large
 *       frozen weights is kept. The checksum is a sum in the layer's precision: an in-place edit of a frozen
 *       value too small to move it (in float, below about 1e-7 of the sum's magnitude) goes unseen. peft4j's own
 *       changes of frozen weights (merge, unmerge, a layer's {@code setParams}/{@code setParam}) forget the
 *       snapshot explicitly.</li>
 * </ul>
 * Parameters of a shared group that another layer holds live in that layer's view and are copied and compared
 * one by one. Any change of an adapter parameter (an update, a loaded file, a gradient check's perturbation) or of
 * a frozen one (a merge, {@code setParams}) makes {@link #matches} false.
 */
record MergeSnapshot(boolean baseOnly, long[] heapBits, long frozenBits, INDArray held, List<String> sharedKeys,
        List<INDArray> shared) {

    /** The longest parameter view kept and compared on the Java heap (1 MiB of bits). */
    static final long HEAP_ROUTE_MAX_LENGTH = 1L << 17;

    /**
     * The state of the layer now.
     *
     * @param flat       the layer's parameter view as one row {@code [1, n]}
     * @param baseLength the length of the frozen range at its start
     * @param sharedKeys adapter keys the layer reads from another layer of a group
     * @param current    the adapter's parameters as the layer sees them
     */
    static MergeSnapshot take(boolean baseOnly, INDArray flat, long baseLength, List<String> sharedKeys,
            AdapterParameters current) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            List<INDArray> shared = new ArrayList<>();
            for (String key : sharedKeys) {
                shared.add(current.get(key).dup('c'));
            }
            if (onHeap(flat)) {
                LongUnaryOperator bits = bitsOf(flat);
                long[] copy = new long[Math.toIntExact(flat.length())];
                for (int i = 0; i < copy.length; i++) {
                    copy[i] = bits.applyAsLong(i);
                }
                return new MergeSnapshot(baseOnly, copy, 0L, null, List.copyOf(sharedKeys), shared);
            }
            INDArray heldRange = heldRange(flat, baseLength);
            return new MergeSnapshot(baseOnly, null, frozenChecksum(flat, baseLength),
                    heldRange == null ? null : heldRange.dup('c'), List.copyOf(sharedKeys), shared);
        }
    }

    /** True when the layer's parameters are the ones this snapshot was taken from (and {@code baseOnly} the same). */
    boolean matches(boolean baseOnly, INDArray flat, long baseLength, AdapterParameters current) {
        if (baseOnly != this.baseOnly) {
            return false;
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            if (heapBits != null) {
                if (!onHeap(flat) || !sameAsHeapBits(flat)) {
                    return false;
                }
            } else {
                if (onHeap(flat) || frozenChecksum(flat, baseLength) != frozenBits) {
                    return false;
                }
                INDArray heldRange = heldRange(flat, baseLength);
                if ((heldRange == null) != (held == null) || heldRange != null && !held.equalsWithEps(heldRange, 0.0)) {
                    return false;
                }
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

    /** True when {@code flat} takes the heap route: short, float or double, one contiguous run inside its buffer. */
    static boolean onHeap(INDArray flat) {
        long start = flat.offset() - flat.data().offset();
        return flat.length() <= HEAP_ROUTE_MAX_LENGTH && flat.elementWiseStride() == 1
                && (flat.dataType() == DataType.FLOAT || flat.dataType() == DataType.DOUBLE)
                && start >= 0 && flat.data().length() >= start + flat.length();
    }

    /** {@code flat}'s values against the heap copy, bit for bit (a NaN equals the same NaN), read in place. */
    private boolean sameAsHeapBits(INDArray flat) {
        if (heapBits.length != flat.length()) {
            return false;
        }
        LongUnaryOperator bits = bitsOf(flat);
        for (int i = 0; i < heapBits.length; i++) {
            if (bits.applyAsLong(i) != heapBits[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The raw bits of element {@code i} of {@code flat} (a view {@link #onHeap} accepts), read from its native buffer:
     * a view's buffer starts at the view's buffer offset, from which its indexer counts.
     */
    private static LongUnaryOperator bitsOf(INDArray flat) {
        long start = flat.offset() - flat.data().offset();
        Indexer indexer = flat.data().indexer();
        if (indexer instanceof DoubleIndexer values) {
            return i -> Double.doubleToRawLongBits(values.get(start + i));
        }
        FloatIndexer values = (FloatIndexer) indexer;
        return i -> Float.floatToRawIntBits(values.get(start + i));
    }

    /**
     * A checksum of the frozen range {@code [0, baseLength)} of {@code flat}: the bits of its sum, so that a NaN
     * sum equals itself. One native op.
     */
    private static long frozenChecksum(INDArray flat, long baseLength) {
        if (baseLength == 0) {
            return 0L;
        }
        return Double.doubleToLongBits(frozenRange(flat, baseLength).sumNumber().doubleValue());
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
