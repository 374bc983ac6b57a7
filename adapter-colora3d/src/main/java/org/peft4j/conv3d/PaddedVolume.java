package org.peft4j.conv3d;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A batch of volumes stored channels last, [N, Dp, Hp, Wp, C], inside zero borders wide enough
 * that every position a convolution reads exists, so the convolution needs no bounds checks: per
 * kernel tap it reads one strided {@link #window} (vol2col without the copy).
 *
 * <p>Two layouts are used ({@link DepthwiseConv3d}): the input itself with the convolution's
 * padding, read with the stride; and an output gradient spread out by the stride (zeros between
 * its values), read with stride 1 for the input gradient.
 *
 * <p>Channels last because ND4J broadcasts a per-channel vector along the last, contiguous axis
 * 10-50x faster than along axis 1 of a channels-first array, and gathers and scatters through
 * strided views at copy speed (measured here).
 */
final class PaddedVolume {

    private final INDArray padded;
    private final long[] origin;

    private PaddedVolume(INDArray padded, long[] origin) {
        this.padded = padded;
        this.origin = origin;
    }

    /**
     * A zero buffer [N, size..., C] whose spatial position {@code origin[a]} is the volume's position 0.
     */
    static PaddedVolume zeros(long batch, long channels, long[] origin, long[] size, DataType type) {
        return new PaddedVolume(Nd4j.zeros(type, batch, size[0], size[1], size[2], channels), origin.clone());
    }

    /**
     * Copies {@code values} [N, n0, n1, n2, C/repeat] (any strides) to positions {@code i·step[a]}
     * of each axis, repeating every channel {@code repeat} times (channel {@code c·repeat + j} holds
     * channel {@code c}, for a depth multiplier).
     */
    void place(INDArray values, int[] step, int repeat) {
        long channels = values.size(4);
        INDArrayIndex[] index = new INDArrayIndex[5];
        index[0] = NDArrayIndex.all();
        for (int a = 0; a < 3; a++) {
            index[a + 1] = strided(origin[a], step[a], values.size(a + 1));
        }
        for (int j = 0; j < repeat; j++) {
            index[4] = repeat == 1 ? NDArrayIndex.all() : strided(j, repeat, channels);
            padded.get(index).assign(values);
        }
    }

    /**
     * The view [N, count..., C] of positions {@code start[a] + i·step[a]} (volume coordinates,
     * possibly negative into the border) for {@code i < count[a]}.
     */
    INDArray window(long[] start, int[] step, int[] count) {
        INDArrayIndex[] index = new INDArrayIndex[5];
        index[0] = NDArrayIndex.all();
        index[4] = NDArrayIndex.all();
        for (int a = 0; a < 3; a++) {
            index[a + 1] = strided(origin[a] + start[a], step[a], count[a]);
        }
        return padded.get(index);
    }

    private static INDArrayIndex strided(long first, int step, long count) {
        return NDArrayIndex.interval(first, step, first + (count - 1) * step, true);
    }
}
