package org.peft4j.ops;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.util.Convolution1DUtils;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The shape arithmetic of one 2D convolution, as DL4J computes it. A 1D convolution over
 * {@code [N, C, L]} is the 2D convolution over {@code [N, C, 1, L]} with a {@code 1 x k} kernel.
 *
 * <p>Output position {@code (oh, ow)} reads input position
 * {@code (oh·strideH + i·dilationH - padTop, ow·strideW + j·dilationW - padLeft)} for kernel tap
 * {@code (i, j)}; positions outside the input read zero. The bottom and right padding follow from
 * the sizes ({@link #padBottom()}, {@link #padRight()}) and may differ from the top and left ones
 * (DL4J's {@code Same} mode puts the odd pixel at the bottom/right, {@code Causal} pads the left only).
 *
 * @param samePadding true for DL4J's {@code Same} mode, which libnd4j's SAME padding reproduces
 */
public record ConvGeometry(int kernelH, int kernelW, int strideH, int strideW, int dilationH, int dilationW,
        int padTop, int padLeft, int inH, int inW, int outH, int outW, boolean samePadding) {

    public ConvGeometry {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("kernel, stride and dilation must be >= 1, got kernel " + kernelH
                    + "x" + kernelW + ", stride " + strideH + "x" + strideW + ", dilation " + dilationH + "x" + dilationW);
        }
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("convolution output would be empty: input " + inH + "x" + inW
                    + ", kernel " + kernelH + "x" + kernelW + ", dilation " + dilationH + "x" + dilationW
                    + ", padding " + padTop + "/" + padLeft);
        }
    }

    /**
     * The geometry of DL4J layer {@code conf} (a {@link ConvolutionLayer} or a {@link Convolution1DLayer}) on
     * the 4D input {@code x} in {@code format} ({@code [N, C, 1, L]} or {@code [N, 1, L, C]} for 1D), computed
     * by DL4J's own functions (same sizes, same errors for a bad input).
     */
    public static ConvGeometry of(ConvolutionLayer conf, INDArray x, CNN2DFormat format) {
        boolean nchw = format == CNN2DFormat.NCHW;
        if (conf instanceof Convolution1DLayer) {
            return of1d(conf, (int) x.size(nchw ? 3 : 2));
        }
        int[] kernel = conf.getKernelSize();
        int[] stride = conf.getStride();
        int[] dilation = conf.getDilation();
        ConvolutionMode mode = conf.getConvolutionMode();
        boolean same = mode == ConvolutionMode.Same;
        int[] out = ConvolutionUtils.getOutputSize(x, kernel, stride, same ? null : conf.getPadding(), mode,
                dilation, format);
        int[] in = {(int) x.size(nchw ? 2 : 1), (int) x.size(nchw ? 3 : 2)};
        int[] pad = same ? ConvolutionUtils.getSameModeTopLeftPadding(out, in, kernel, stride, dilation)
                : conf.getPadding();
        return new ConvGeometry(kernel[0], kernel[1], stride[0], stride[1], dilation[0], dilation[1], pad[0], pad[1],
                in[0], in[1], out[0], out[1], same);
    }

    private static ConvGeometry of1d(ConvolutionLayer conf, int length) {
        int k = conf.getKernelSize()[0];
        int s = conf.getStride()[0];
        int d = conf.getDilation()[0];
        int p = conf.getPadding()[0];
        ConvolutionMode mode = conf.getConvolutionMode();
        int out = (int) Convolution1DUtils.getOutputSize(length, k, s, p, mode, d);
        int pad = switch (mode) {
            case Same -> Convolution1DUtils.getSameModeTopLeftPadding(out, length, k, s, d);
            case Causal -> (k - 1) * d;
            default -> p;
        };
        return new ConvGeometry(1, k, 1, s, 1, d, 0, pad, 1, length, 1, out, mode == ConvolutionMode.Same);
    }

    /** {@code (kernelH - 1)·dilationH + 1}. */
    public int effectiveKernelH() {
        return (kernelH - 1) * dilationH + 1;
    }

    /** {@code (kernelW - 1)·dilationW + 1}. */
    public int effectiveKernelW() {
        return (kernelW - 1) * dilationW + 1;
    }

    /** Rows below the input that the last output row reads (negative: input rows left unread). */
    public int padBottom() {
        return (outH - 1) * strideH + effectiveKernelH() - inH - padTop;
    }

    /** Columns right of the input that the last output column reads (negative: columns left unread). */
    public int padRight() {
        return (outW - 1) * strideW + effectiveKernelW() - inW - padLeft;
    }

    /** Kernel taps {@code kernelH·kernelW}. */
    public int taps() {
        return kernelH * kernelW;
    }

    /** True when stride is 1 in both directions. */
    public boolean unitStride() {
        return strideH == 1 && strideW == 1;
    }

    /** True when dilation is 1 in both directions. */
    public boolean undilated() {
        return dilationH == 1 && dilationW == 1;
    }

    /** True when libnd4j's symmetric padding ({@code padTop} both sides, {@code padLeft} both sides) gives this output. */
    public boolean symmetricPaddingFits() {
        return (inH + 2L * padTop - effectiveKernelH()) / strideH + 1 == outH
                && (inW + 2L * padLeft - effectiveKernelW()) / strideW + 1 == outW
                && inH + 2L * padTop >= effectiveKernelH() && inW + 2L * padLeft >= effectiveKernelW()
                && padTop >= 0 && padLeft >= 0;
    }

    /** The 4D shape of the input, {@code [batch, channels, inH, inW]} or {@code [batch, inH, inW, channels]}. */
    public long[] inputShape(long batch, long channels, boolean nchw) {
        return nchw ? new long[] {batch, channels, inH, inW} : new long[] {batch, inH, inW, channels};
    }

    /** The 4D shape of the output, {@code [batch, channels, outH, outW]} or {@code [batch, outH, outW, channels]}. */
    public long[] outputShape(long batch, long channels, boolean nchw) {
        return nchw ? new long[] {batch, channels, outH, outW} : new long[] {batch, outH, outW, channels};
    }
}
