package org.peft4j.bench.data;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One array read from a NumPy {@code .npy} file (or an entry of an {@code .npz} archive), or a
 * block of its leading-axis rows.
 *
 * @param name  where it came from (file and entry), for error messages
 * @param dtype the element type
 * @param shape the shape of the rows held here (the leading axis may be a sub-range of the file's)
 * @param data  the raw elements in row-major order, in the file's byte order
 */
public record NpyArray(String name, NpyType dtype, long[] shape, ByteBuffer data) {

    public NpyArray {
        shape = shape.clone();
        data = data.duplicate().order(dtype.order());
    }

    /** Number of elements. */
    public long size() {
        return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }

    /** Element {@code i} (row-major) as a double. */
    public double getDouble(long i) {
        return dtype.read(data, Math.toIntExact(i * dtype.width()));
    }

    /** Element {@code i} (row-major) as a long; fails for fractional values. */
    public long getLong(long i) {
        double value = getDouble(i);
        if (value != Math.rint(value)) {
            throw new IllegalStateException(name + ": element " + i + " is " + value + ", not an integer");
        }
        return (long) value;
    }

    /** All elements as an ND4J float array of the same shape (values unscaled). */
    public INDArray toFloatArray() {
        int n = Math.toIntExact(size());
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) getDouble(i);
        }
        return Nd4j.create(values, shape, 'c').castTo(DataType.FLOAT);
    }

    /** All elements as longs (e.g. labels of shape [N, 1] or [N]). */
    public long[] toLongs() {
        int n = Math.toIntExact(size());
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = getLong(i);
        }
        return values;
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
