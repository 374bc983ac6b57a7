package org.peft4j.conv3d;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.deeplearning4j.exception.DL4JException;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.util.Convolution3DUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One 3D convolution configuration DL4J accepts, with an input size: what the property tests
 * sweep. {@link #arbitrary()} draws data format, convolution mode (Same, Truncate, Strict),
 * kernel 1-3, stride 1-3, dilation 1-2 and padding 0-2 independently per axis, and input sizes
 * near the effective kernel, keeping only the combinations DL4J itself accepts.
 */
public record Conv3dCase(boolean ncdhw, ConvolutionMode mode, int[] kernel, int[] stride, int[] dilation,
        int[] padding, int[] in, long seed) {

    public static Arbitrary<Conv3dCase> arbitrary() {
        Arbitrary<int[]> small = Arbitraries.integers().between(1, 3).array(int[].class).ofSize(3);
        Arbitrary<int[]> dilations = Arbitraries.integers().between(1, 2).array(int[].class).ofSize(3);
        Arbitrary<int[]> pads = Arbitraries.integers().between(0, 2).array(int[].class).ofSize(3);
        Arbitrary<int[]> extra = Arbitraries.integers().between(0, 3).array(int[].class).ofSize(3);
        return Combinators.combine(Arbitraries.of(true, false),
                        Arbitraries.of(ConvolutionMode.Same, ConvolutionMode.Truncate, ConvolutionMode.Strict),
                        small, small, dilations, pads, extra, Arbitraries.longs())
                .as(Conv3dCase::build)
                .filter(Conv3dCase::acceptedByDl4j);
    }

    private static Conv3dCase build(boolean ncdhw, ConvolutionMode mode, int[] kernel, int[] stride, int[] dilation,
            int[] pads, int[] extra, long seed) {
        int[] padding = mode == ConvolutionMode.Same ? new int[3] : pads;
        int[] in = new int[3];
        for (int a = 0; a < 3; a++) {
            int effective = (kernel[a] - 1) * dilation[a] + 1;
            in[a] = Math.max(1, effective - 2 * padding[a]) + extra[a];
        }
        return new Conv3dCase(ncdhw, mode, kernel, stride, dilation, padding, in, seed);
    }

    /** DL4J's own check of the configuration and input size (its output-size function throws otherwise). */
    boolean acceptedByDl4j() {
        try {
            Convolution3DUtils.get3DOutputSize(Nd4j.create(DataType.FLOAT, inputShape(1, 1)), kernel, stride, padding,
                    mode, dilation, ncdhw);
            return true;
        } catch (DL4JException e) {
            return false;
        }
    }

    /** A {@link Convolution3D} builder with this geometry and data format. */
    public Convolution3D.Builder builder() {
        return new Convolution3D.Builder().kernelSize(kernel).stride(stride).padding(padding).dilation(dilation)
                .convolutionMode(mode)
                .dataFormat(ncdhw ? Convolution3D.DataFormat.NCDHW : Convolution3D.DataFormat.NDHWC);
    }

    /** The reference sizes, computed independently of the code under test. */
    public Conv3dLoops.Sizes sizes() {
        return Conv3dLoops.Sizes.of(kernel, stride, dilation, padding, mode == ConvolutionMode.Same, in);
    }

    /** [batch, C, D, H, W] or [batch, D, H, W, C]. */
    public long[] inputShape(long batch, long channels) {
        return ncdhw ? new long[] {batch, channels, in[0], in[1], in[2]}
                : new long[] {batch, in[0], in[1], in[2], channels};
    }

    /** [batch, C, oD, oH, oW] or channels last, from the reference sizes. */
    public long[] outputShape(long batch, long channels) {
        int[] out = sizes().out();
        return ncdhw ? new long[] {batch, channels, out[0], out[1], out[2]}
                : new long[] {batch, out[0], out[1], out[2], channels};
    }

    /** N(0, 1) values of {@code shape} drawn from this case's seed and {@code stream}. */
    public INDArray random(int stream, long... shape) {
        Nd4j.getRandom().setSeed(seed + 7919L * stream);
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    @Override
    public String toString() {
        return (ncdhw ? "NCDHW" : "NDHWC") + " " + mode + " kernel=" + Arrays.toString(kernel) + " stride="
                + Arrays.toString(stride) + " dilation=" + Arrays.toString(dilation) + " padding="
                + Arrays.toString(padding) + " in=" + Arrays.toString(in);
    }
}
