package org.peft4j.colora;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies between ND4J arrays and Java {@code double[]} for {@link DepthwiseKernels}, by bulk
 * buffer transfers (ND4J's {@code asDouble()} reads element by element, ~3x slower here).
 */
final class HostArrays {

    private HostArrays() {
    }

    /** The values of {@code array} in c order, as doubles. */
    static double[] doubles(INDArray array) {
        INDArray c = dense(array);
        int n = Math.toIntExact(c.length());
        double[] out = new double[n];
        switch (c.dataType()) {
            case DOUBLE -> c.data().asNioDouble().get(out);
            case FLOAT -> {
                float[] values = new float[n];
                c.data().asNioFloat().get(values);
                for (int i = 0; i < n; i++) {
                    out[i] = values[i];
                }
            }
            default -> {
                return doubles(c.castTo(DataType.DOUBLE));
            }
        }
        return out;
    }

    /** A new c-order array of {@code type} and {@code shape} holding {@code values}. */
    static INDArray array(double[] values, DataType type, long... shape) {
        switch (type) {
            case DOUBLE -> {
                INDArray out = Nd4j.createUninitialized(type, shape, 'c');
                out.data().asNioDouble().put(values);
                return out;
            }
            case FLOAT -> {
                float[] narrowed = new float[values.length];
                for (int i = 0; i < values.length; i++) {
                    narrowed[i] = (float) values[i];
                }
                INDArray out = Nd4j.createUninitialized(type, shape, 'c');
                out.data().asNioFloat().put(narrowed);
                return out;
            }
            default -> {
                return array(values, DataType.DOUBLE, shape).castTo(type);
            }
        }
    }

    /** {@code array} itself when its buffer holds exactly its elements in c order, else such a copy. */
    private static INDArray dense(INDArray array) {
        boolean exact = array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array) && array.offset() == 0
                && array.data().length() == array.length();
        return exact ? array : array.dup('c');
    }
}
