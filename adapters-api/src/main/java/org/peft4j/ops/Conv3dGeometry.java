package org.peft4j.ops;

import java.util.Arrays;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.util.Convolution3DUtils;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where one DL4J {@link Convolution3D} layer reads one input batch: kernel, stride, dilation, the
 * padding in front of each spatial axis and the input and output sizes, computed exactly as DL4J's
 * {@code Convolution3DLayer} computes them (same output sizes, same errors for a bad input, same
 * top-left padding in {@link ConvolutionMode#Same}).
 *
 * <p>Along each spatial axis (depth, height, width), output position {@code o} reads the input
 * positions {@code o·stride + t·dilation − padFront} for the kernel taps {@code t = 0..kernel−1};
 * positions outside {@code [0, in)} read zeros. In {@code Same} mode the padding behind is whatever
 * the output size {@code ceil(in/stride)} needs; in {@code Truncate} and {@code Strict} mode the
 * layer's padding is used in front and input rows that no output reads are ignored.
 */
public final class Conv3dGeometry {

    private final boolean ncdhw;
    private final boolean sameMode;
    private final int[] kernel;
    private final int[] stride;
    private final int[] dilation;
    private final int[] padFront;
    private final int[] in;
    private final int[] out;

    private Conv3dGeometry(boolean ncdhw, boolean sameMode, int[] kernel, int[] stride, int[] dilation,
            int[] padFront, int[] in, int[] out) {
        this.ncdhw = ncdhw;
        this.sameMode = sameMode;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.dilation = dilation.clone();
        this.padFront = padFront.clone();
        this.in = in.clone();
        this.out = out.clone();
    }

    /**
     * The geometry of {@code layer} on {@code input}.
     *
     * @param layer a configured 3D convolution (kernel, stride, dilation, padding, mode, data format)
     * @param input a rank-5 batch, [N, C, D, H, W] (NCDHW) or [N, D, H, W, C] (NDHWC)
     * @throws DL4JInvalidInputException naming the layer when the input is not rank 5 or too small
     */
    public static Conv3dGeometry of(Convolution3D layer, INDArray input) {
        if (input.rank() != 5) {
            throw new DL4JInvalidInputException("layer '" + layer.getLayerName() + "' expects a rank-5 input "
                    + (layer.getDataFormat() == Convolution3D.DataFormat.NCDHW ? "[N, C, D, H, W]" : "[N, D, H, W, C]")
                    + ", got shape " + Arrays.toString(input.shape()));
        }
        boolean ncdhw = layer.getDataFormat() == Convolution3D.DataFormat.NCDHW;
        ConvolutionMode mode = layer.getConvolutionMode();
        int[] kernel = layer.getKernelSize();
        int[] stride = layer.getStride();
        int[] dilation = layer.getDilation();
        int[] in = {(int) input.size(ncdhw ? 2 : 1), (int) input.size(ncdhw ? 3 : 2), (int) input.size(ncdhw ? 4 : 3)};
        int[] out;
        int[] padFront;
        if (mode == ConvolutionMode.Same) {
            out = Convolution3DUtils.get3DOutputSize(input, kernel, stride, null, mode, dilation, ncdhw);
            padFront = Convolution3DUtils.get3DSameModeTopLeftPadding(out, in, kernel, stride, dilation);
        } else {
            padFront = layer.getPadding();
            out = Convolution3DUtils.get3DOutputSize(input, kernel, stride, padFront, mode, dilation, ncdhw);
        }
        return new Conv3dGeometry(ncdhw, mode == ConvolutionMode.Same, kernel, stride, dilation, padFront, in, out);
    }

    /** True for [N, C, D, H, W] activations, false for [N, D, H, W, C]. */
    public boolean ncdhw() {
        return ncdhw;
    }

    /** Number of kernel taps {@code kD·kH·kW}. */
    public int taps() {
        return kernel[0] * kernel[1] * kernel[2];
    }

    /** The (depth, height, width) offsets of tap {@code t}, taps numbered in c order of [kD, kH, kW]. */
    public int[] tap(int t) {
        return new int[] {t / (kernel[1] * kernel[2]), (t / kernel[2]) % kernel[1], t % kernel[2]};
    }

    /** Kernel size along spatial axis {@code axis} (0 depth, 1 height, 2 width). */
    public int kernel(int axis) {
        return kernel[axis];
    }

    public int stride(int axis) {
        return stride[axis];
    }

    public int dilation(int axis) {
        return dilation[axis];
    }

    /** True when the layer has no dilation along any axis. */
    public boolean undilated() {
        return dilation[0] == 1 && dilation[1] == 1 && dilation[2] == 1;
    }

    /** Padding in front of {@code axis}; may be negative in {@code Same} mode when the stride exceeds the kernel. */
    public int padFront(int axis) {
        return padFront[axis];
    }

    /** Input size along {@code axis}. */
    public int in(int axis) {
        return in[axis];
    }

    /** Output size along {@code axis}. */
    public int out(int axis) {
        return out[axis];
    }

    /** The activation shape with {@code channels} channels at input ({@code output=false}) or output size, in the layer's format. */
    public long[] shape(long batch, long channels, boolean output) {
        int[] s = output ? out : in;
        return ncdhw ? new long[] {batch, channels, s[0], s[1], s[2]} : new long[] {batch, s[0], s[1], s[2], channels};
    }

    /** As {@link #shape}, always channels last: [N, D, H, W, C]. */
    public long[] channelsLastShape(long batch, long channels, boolean output) {
        int[] s = output ? out : in;
        return new long[] {batch, s[0], s[1], s[2], channels};
    }

    /**
     * Integer arguments of libnd4j's {@code conv3dnew} and {@code conv3dnew_bp}, as DL4J's
     * {@code Convolution3DLayer} passes them (kernel, stride, padding, dilation, same-mode flag, data format
     * flag), with the kernel in the layout {@code [C_out, C_in, kD, kH, kW]} (weight format 1).
     */
    int[] convArgs() {
        return new int[] {kernel[0], kernel[1], kernel[2], stride[0], stride[1], stride[2], padFront[0], padFront[1],
                padFront[2], dilation[0], dilation[1], dilation[2], sameMode ? 1 : 0, ncdhw ? 0 : 1, 1};
    }

    /** The dilations along depth, height and width. */
    int[] dilations() {
        return dilation.clone();
    }

    /**
     * Integer arguments of libnd4j's {@code deconv3d}, the transposed convolution that gives the input gradient:
     * the layer's kernel, stride, padding and dilation, no same mode, the kernel as {@code [C_out, C_in, kD, kH, kW]}.
     */
    int[] transposedArgs() {
        return new int[] {kernel[0], kernel[1], kernel[2], stride[0], stride[1], stride[2], padFront[0], padFront[1],
                padFront[2], dilation[0], dilation[1], dilation[2], 0, ncdhw ? 0 : 1, 1};
    }

    @Override
    public String toString() {
        return "Conv3dGeometry{" + (ncdhw ? "NCDHW" : "NDHWC") + (sameMode ? ", Same" : "") + ", kernel="
                + Arrays.toString(kernel) + ", stride=" + Arrays.toString(stride) + ", dilation="
                + Arrays.toString(dilation) + ", padFront=" + Arrays.toString(padFront) + ", in="
                + Arrays.toString(in) + ", out=" + Arrays.toString(out) + "}";
    }
}
