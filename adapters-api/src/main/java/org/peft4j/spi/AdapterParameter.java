package org.peft4j.spi;

import java.util.Arrays;
import java.util.Objects;

/**
 * One trainable parameter of an adapter.
 *
 * @param key         its key, unique within the layer (e.g. {@code A}, {@code Kp})
 * @param shape       its shape, c order
 * @param bias        true when it plays the part of a bias (it then gets the layer's bias updater and bias
 *                    regularisation, as DL4J gives {@code b})
 * @param regularized false for parameters that must never be regularised (e.g. a difference from a start value)
 */
public record AdapterParameter(String key, long[] shape, boolean bias, boolean regularized) {

    public AdapterParameter {
        Objects.requireNonNull(key, "key");
        shape = shape.clone();
        if (Arrays.stream(shape).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("parameter '" + key + "' has an empty shape " + Arrays.toString(shape));
        }
    }

    /** A weight-like, regularised parameter. */
    public static AdapterParameter weight(String key, long... shape) {
        return new AdapterParameter(key, shape, false, true);
    }

    /** A bias-like parameter. */
    public static AdapterParameter bias(String key, long... shape) {
        return new AdapterParameter(key, shape, true, true);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of values. */
    public long length() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdapterParameter other && key.equals(other.key) && Arrays.equals(shape, other.shape)
                && bias == other.bias && regularized == other.regularized;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(shape), bias, regularized);
    }

    @Override
    public String toString() {
        return key + Arrays.toString(shape);
    }
}
