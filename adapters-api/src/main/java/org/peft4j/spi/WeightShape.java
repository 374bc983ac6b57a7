package org.peft4j.spi;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;

/**
 * The weight of a layer that peft4j runs, as an adapter method sees it: the layer kind, its widths and
 * kernel, and the layout in which the method gives its update {@code ΔW} and receives the weight
 * gradient {@code G = dL/dW}:
 * <ul>
 *   <li>{@link Kind#DENSE} ({@code DenseLayer}, {@code OutputLayer}): {@code [nIn, nOut]}, DL4J's {@code W};</li>
 *   <li>{@link Kind#CONV1D}, {@link Kind#CONV2D}, {@link Kind#CONV3D} ({@code Convolution1DLayer},
 *       {@code ConvolutionLayer}, {@code Convolution3D}): the kernel {@code [C_out, C_in, k...]} in PyTorch
 *       layout, c order, with one, two or three spatial sizes. For 2D and 3D this is DL4J's {@code W}; for 1D
 *       it is not (DL4J stores that kernel as a {@code [k, C_in, C_out]} buffer), and the runtime converts.</li>
 * </ul>
 *
 * @param kind    the layer kind
 * @param inputs  nIn, or C_in
 * @param outputs nOut, or C_out
 * @param kernel  the spatial kernel sizes (empty for dense)
 * @param bias    whether the layer has a bias {@code b [nOut]}
 */
public record WeightShape(Kind kind, long inputs, long outputs, int[] kernel, boolean bias) {

    /** The layer kinds peft4j's execution core runs. */
    public enum Kind {
        DENSE, CONV1D, CONV2D, CONV3D;

        /** True for the convolutions. */
        public boolean convolution() {
            return this != DENSE;
        }
    }

    public WeightShape {
        Objects.requireNonNull(kind, "kind");
        kernel = kernel.clone();
        int expected = switch (kind) {
            case DENSE -> 0;
            case CONV1D -> 1;
            case CONV2D -> 2;
            case CONV3D -> 3;
        };
        if (kernel.length != expected || inputs < 1 || outputs < 1 || Arrays.stream(kernel).anyMatch(k -> k < 1)) {
            throw new IllegalArgumentException("bad " + kind + " weight: " + inputs + " -> " + outputs + ", kernel "
                    + Arrays.toString(kernel));
        }
    }

    /**
     * The weight of {@code layer}, when the execution core runs its kind: exactly {@code DenseLayer},
     * {@code OutputLayer}, {@code ConvolutionLayer}, {@code Convolution1DLayer} or {@code Convolution3D}
     * (subclasses such as depthwise, separable or transposed convolutions are other maths), with nIn set.
     */
    public static Optional<WeightShape> of(Layer layer) {
        Class<?> type = layer.getClass();
        if (type == DenseLayer.class || type == OutputLayer.class) {
            var dense = (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer;
            boolean bias = layer instanceof DenseLayer d ? d.hasBias() : ((OutputLayer) layer).hasBias();
            return Optional.of(new WeightShape(Kind.DENSE, dense.getNIn(), dense.getNOut(), new int[0], bias));
        }
        if (type == Convolution1DLayer.class) {
            ConvolutionLayer conv = (ConvolutionLayer) layer;
            return Optional.of(new WeightShape(Kind.CONV1D, conv.getNIn(), conv.getNOut(),
                    new int[] {conv.getKernelSize()[0]}, conv.hasBias()));
        }
        if (type == ConvolutionLayer.class) {
            ConvolutionLayer conv = (ConvolutionLayer) layer;
            return Optional.of(new WeightShape(Kind.CONV2D, conv.getNIn(), conv.getNOut(), conv.getKernelSize(),
                    conv.hasBias()));
        }
        if (type == Convolution3D.class) {
            Convolution3D conv = (Convolution3D) layer;
            return Optional.of(new WeightShape(Kind.CONV3D, conv.getNIn(), conv.getNOut(), conv.getKernelSize(),
                    conv.hasBias()));
        }
        return Optional.empty();
    }

    /** The spatial kernel sizes (a copy). */
    @Override
    public int[] kernel() {
        return kernel.clone();
    }

    /** The layout of {@code ΔW} and {@code G}: {@code [nIn, nOut]} or {@code [C_out, C_in, k...]}. */
    public long[] shape() {
        if (kind == Kind.DENSE) {
            return new long[] {inputs, outputs};
        }
        long[] shape = new long[2 + kernel.length];
        shape[0] = outputs;
        shape[1] = inputs;
        for (int i = 0; i < kernel.length; i++) {
            shape[2 + i] = kernel[i];
        }
        return shape;
    }

    /** The number of kernel taps, {@code prod(k)} (1 for dense). */
    public long taps() {
        long taps = 1;
        for (int k : kernel) {
            taps *= k;
        }
        return taps;
    }

    /** The fan-in of one output: nIn, or {@code C_in·taps}. */
    public long fanIn() {
        return inputs * taps();
    }

    /**
     * The largest rank an update of this weight can have, {@code min(nOut, fan-in)}: a low-rank factor wider than
     * this adds parameters but no expressiveness.
     */
    public long maxRank() {
        return Math.min(outputs, fanIn());
    }

    /** The weight's widths as a reader knows them: {@code nIn 6, nOut 8} or {@code C_in 3, C_out 8, kernel [3, 3]}. */
    public String describeWidths() {
        return kind == Kind.DENSE ? "nIn " + inputs + ", nOut " + outputs
                : "C_in " + inputs + ", C_out " + outputs + ", kernel " + Arrays.toString(kernel);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightShape other && kind == other.kind && inputs == other.inputs
                && outputs == other.outputs && Arrays.equals(kernel, other.kernel) && bias == other.bias;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, inputs, outputs, Arrays.hashCode(kernel), bias);
    }

    @Override
    public String toString() {
        return kind + (kind == Kind.DENSE ? " [" + inputs + ", " + outputs + "]" : " " + Arrays.toString(shape()))
                + (bias ? " + bias" : "");
    }
}
