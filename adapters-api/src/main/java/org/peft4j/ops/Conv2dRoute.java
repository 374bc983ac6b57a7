package org.peft4j.ops;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The native passes of a DL4J {@code ConvolutionLayer} (NCHW or NHWC) or {@code Convolution1DLayer} (NCW or
 * NWC, run as the 2D convolution over {@code [N, C, 1, L]} or {@code [N, 1, L, C]}, which are views), with
 * libnd4j's {@code conv2d} and {@code conv2d_bp} on the kernel in PyTorch layout {@code [C_out, C_in, kH, kW]}
 * (1D: {@code [C_out, C_in, k]}).
 *
 * <p>Padding: DL4J's {@code Same} mode is libnd4j's SAME; a padding libnd4j applies symmetrically is passed
 * as is; anything else (Causal, or Truncate/Strict where the last rows go unread) pads or crops a copy of the
 * input explicitly. The input gradient alone, at stride 1, is one {@code conv2d} of {@code δ} with the kernel
 * flipped spatially and its channel axes swapped (cheaper than {@code conv2d_bp}, which also forms the
 * kernel gradient); otherwise it is {@code conv2d_bp}.
 */
public final class Conv2dRoute implements ConvRoute {

    private final ConvolutionLayer conf;
    private final boolean oneD;
    private final boolean nchw;
    private final long outChannels;

    public Conv2dRoute(ConvolutionLayer conf) {
        this.conf = conf;
        this.oneD = conf instanceof Convolution1DLayer;
        this.nchw = oneD ? ((Convolution1DLayer) conf).getRnnDataFormat() != RNNFormat.NWC
                : conf.getCnn2dDataFormat() != CNN2DFormat.NHWC;
        this.outChannels = conf.getNOut();
    }

    @Override
    public long[] outputShape(INDArray x) {
        INDArray x4 = fourD(x);
        long[] shape = geometry(x4).outputShape(x4.size(0), outChannels, nchw);
        return oneD ? threeD(shape) : shape;
    }

    @Override
    public void forward(INDArray x, INDArray kernel, INDArray bias, INDArray z) {
        INDArray x4 = fourD(x);
        ConvGeometry g = geometry(x4);
        Padding padding = Padding.of(g);
        INDArray input = padding.explicit() ? padding.pad(x4, nchw) : x4;
        INDArray[] inputs = bias == null ? new INDArray[] {input, kernel4(kernel)}
                : new INDArray[] {input, kernel4(kernel), bias.reshape(bias.length())};
        DilatedConvolutions.exec(DynamicCustomOp.builder("conv2d").addInputs(inputs).addOutputs(fourDView(z))
                .addIntegerArguments(args(g, padding)).callInplace(false).build(), x.dataType(), g.dilationH(), g.dilationW());
    }

    @Override
    public void inputGradient(INDArray x, INDArray kernel, INDArray delta, INDArray dx) {
        INDArray x4 = fourD(x);
        ConvGeometry g = geometry(x4);
        if (!g.unitStride()) {
            INDArray unused = Nd4j.createUninitialized(kernel.dataType(), kernel4(kernel).shape(), 'c');
            backward(x, kernel, delta, dx, unused, null);
            return;
        }
        // stride 1: dL/dx[h] = Σ_i δ[h − top + i·d]·K[k−1−i], a correlation with the flipped kernel
        int top = g.effectiveKernelH() - 1 - g.padTop();
        int bottom = g.inH() - g.outH() + g.padTop();
        int left = g.effectiveKernelW() - 1 - g.padLeft();
        int right = g.inW() - g.outW() + g.padLeft();
        INDArray d4 = fourD(delta);
        INDArray flipped = flipped(kernel4(kernel));
        INDArray out = fourDView(dx);
        int[] dilations = {g.dilationH(), g.dilationW()};
        if (top == bottom && left == right && top >= 0 && left >= 0) {
            exec(d4, flipped, out, g, top, left, dilations);
        } else if (top >= bottom && left >= right && bottom >= 0 && right >= 0) {
            long[] wide = nchw ? new long[] {out.size(0), out.size(1), g.inH() + top - bottom, g.inW() + left - right}
                    : new long[] {out.size(0), g.inH() + top - bottom, g.inW() + left - right, out.size(3)};
            INDArray full = Nd4j.createUninitialized(out.dataType(), wide, 'c');
            exec(d4, flipped, full, g, top, left, dilations);
            out.assign(full.get(spatial(nchw, NDArrayIndex.interval(0, g.inH()), NDArrayIndex.interval(0, g.inW()))));
        } else {
            exec(new Padding(top, bottom, left, right, true).pad(d4, nchw), flipped, out, g, 0, 0, dilations);
        }
    }

    @Override
    public void backward(INDArray x, INDArray kernel, INDArray delta, INDArray dx, INDArray kernelGradient,
            INDArray biasGradient) {
        INDArray x4 = fourD(x);
        ConvGeometry g = geometry(x4);
        Padding padding = Padding.of(g);
        INDArray input = padding.explicit() ? padding.pad(x4, nchw) : x4;
        INDArray inputGradient = padding.explicit() || dx == null
                ? Nd4j.createUninitialized(x.dataType(), input.shape(), 'c') : fourDView(dx);
        INDArray k4 = kernel4(kernel);
        INDArray g4 = kernelGradient.reshape('c', k4.shape());
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp")
                .addIntegerArguments(args(g, padding)).callInplace(false);
        if (biasGradient == null) {
            op.addInputs(input, k4, fourD(delta)).addOutputs(inputGradient, g4);
        } else {
            op.addInputs(input, k4, Nd4j.zeros(x.dataType(), outChannels), fourD(delta))
                    .addOutputs(inputGradient, g4, biasGradient.reshape(biasGradient.length()));
        }
        DilatedConvolutions.exec(op.build(), x.dataType(), g.dilationH(), g.dilationW());
        if (padding.explicit() && dx != null) {
            fourDView(dx).assign(padding.crop(inputGradient, nchw));
        }
    }

    private int[] args(ConvGeometry g, Padding padding) {
        boolean explicit = padding.explicit();
        return new int[] {g.kernelH(), g.kernelW(), g.strideH(), g.strideW(), explicit ? 0 : g.padTop(),
            explicit ? 0 : g.padLeft(), g.dilationH(), g.dilationW(), g.samePadding() ? 1 : 0, nchw ? 0 : 1, 1};
    }

    private void exec(INDArray delta, INDArray flipped, INDArray out, ConvGeometry g, int padH, int padW,
            int[] dilations) {
        DilatedConvolutions.exec(DynamicCustomOp.builder("conv2d").addInputs(delta, flipped).addOutputs(out)
                .addIntegerArguments(g.kernelH(), g.kernelW(), 1, 1, padH, padW, g.dilationH(), g.dilationW(), 0,
                        nchw ? 0 : 1, 1).callInplace(false).build(), delta.dataType(), dilations);
    }

    private ConvGeometry geometry(INDArray x4) {
        return ConvGeometry.of(conf, x4, nchw ? CNN2DFormat.NCHW : CNN2DFormat.NHWC);
    }

    /** {@code x} as a c-ordered 4D array: 2D as is, 1D {@code [N, C, 1, L]} (NCW) or {@code [N, 1, L, C]} (NWC). */
    private INDArray fourD(INDArray x) {
        INDArray c = KernelLayout.contiguous(x);
        if (!oneD) {
            return c;
        }
        return nchw ? c.reshape('c', c.size(0), c.size(1), 1, c.size(2)) : c.reshape('c', c.size(0), 1, c.size(1), c.size(2));
    }

    /** A c-ordered output array as its 4D view. */
    private INDArray fourDView(INDArray out) {
        if (!oneD) {
            return out;
        }
        return nchw ? out.reshape('c', out.size(0), out.size(1), 1, out.size(2))
                : out.reshape('c', out.size(0), 1, out.size(1), out.size(2));
    }

    private long[] threeD(long[] shape) {
        return nchw ? new long[] {shape[0], shape[1], shape[3]} : new long[] {shape[0], shape[2], shape[3]};
    }

    /** The kernel as {@code [C_out, C_in, kH, kW]} (1D: {@code [C_out, C_in, 1, k]}). */
    private INDArray kernel4(INDArray kernel) {
        INDArray c = KernelLayout.contiguous(kernel);
        return kernel.rank() == 4 ? c : c.reshape('c', c.size(0), c.size(1), 1, c.size(2));
    }

    /**
     * {@code F[c, o, i, j] = K[o, c, kH-1-i, kW-1-j]}, a new array {@code [C_in, C_out, kH, kW]} (likewise for
     * three spatial axes). Reversing every spatial axis reverses the c-order taps: one gemm with the exchange matrix (libnd4j's {@code reverse} op
     * took ~160 ms for a 512 x 512 x 3 x 3 kernel here, this ~10 ms).
     */
    static INDArray flipped(INDArray kernel) {
        long out = kernel.size(0);
        long in = kernel.size(1);
        int taps = (int) (kernel.length() / (out * in));
        INDArray reversed = KernelLayout.contiguous(kernel);
        if (taps > 1) {
            INDArray exchange = Nd4j.zeros(kernel.dataType(), taps, taps);
            for (int t = 0; t < taps; t++) {
                exchange.putScalar(t, taps - 1 - t, 1.0);
            }
            reversed = reversed.reshape('c', out * in, taps).mmul(exchange);
        }
        int[] order = new int[kernel.rank()];
        order[0] = 1;
        order[1] = 0;
        for (int a = 2; a < order.length; a++) {
            order[a] = a;
        }
        return reversed.reshape('c', kernel.shape()).permute(order).dup('c');
    }

    private static INDArrayIndex[] spatial(boolean nchw, INDArrayIndex h, INDArrayIndex w) {
        return nchw ? new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.all(), h, w}
                : new INDArrayIndex[] {NDArrayIndex.all(), h, w, NDArrayIndex.all()};
    }

    /**
     * Rows and columns added (positive) or removed (negative) around the input when libnd4j cannot pad it
     * itself.
     */
    private record Padding(int top, int bottom, int left, int right, boolean explicit) {

        static Padding of(ConvGeometry g) {
            boolean explicit = !g.samePadding() && !g.symmetricPaddingFits();
            return new Padding(g.padTop(), g.padBottom(), g.padLeft(), g.padRight(), explicit);
        }

        /** {@code x} with the padding applied, a new array. */
        INDArray pad(INDArray x, boolean nchw) {
            int hAxis = nchw ? 2 : 1;
            long h = x.size(hAxis);
            long w = x.size(hAxis + 1);
            INDArray source = x.get(spatial(nchw, NDArrayIndex.interval(Math.max(0, -top), h - Math.max(0, -bottom)),
                    NDArrayIndex.interval(Math.max(0, -left), w - Math.max(0, -right))));
            long[] shape = x.shape().clone();
            shape[hAxis] = source.size(hAxis) + Math.max(0, top) + Math.max(0, bottom);
            shape[hAxis + 1] = source.size(hAxis + 1) + Math.max(0, left) + Math.max(0, right);
            INDArray result = Nd4j.zeros(x.dataType(), shape);
            result.get(inner(nchw, source.size(hAxis), source.size(hAxis + 1))).assign(source);
            return result;
        }

        /** The gradient of {@link #pad}: {@code padded}'s values at the input's positions, zero where the input was cropped. */
        INDArray crop(INDArray padded, boolean nchw) {
            int hAxis = nchw ? 2 : 1;
            long h = padded.size(hAxis) - Math.max(0, top) - Math.max(0, bottom) + Math.max(0, -top) + Math.max(0, -bottom);
            long w = padded.size(hAxis + 1) - Math.max(0, left) - Math.max(0, right) + Math.max(0, -left) + Math.max(0, -right);
            long[] shape = padded.shape().clone();
            shape[hAxis] = h;
            shape[hAxis + 1] = w;
            INDArray result = Nd4j.zeros(padded.dataType(), shape);
            long keptH = h - Math.max(0, -top) - Math.max(0, -bottom);
            long keptW = w - Math.max(0, -left) - Math.max(0, -right);
            result.get(spatial(nchw, NDArrayIndex.interval(Math.max(0, -top), Math.max(0, -top) + keptH),
                    NDArrayIndex.interval(Math.max(0, -left), Math.max(0, -left) + keptW)))
                    .assign(padded.get(inner(nchw, keptH, keptW)));
            return result;
        }

        private INDArrayIndex[] inner(boolean nchw, long h, long w) {
            return spatial(nchw, NDArrayIndex.interval(Math.max(0, top), Math.max(0, top) + h),
                    NDArrayIndex.interval(Math.max(0, left), Math.max(0, left) + w));
        }
    }
}
