package org.peft4j.ops;

import java.util.Optional;
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
 * input explicitly. The input gradient alone is one transposed convolution of {@code δ} ({@code deconv2d}, on the
 * kernel as it is) where that is exact, else {@code conv2d_bp}, which also forms the kernel gradient. The kernel
 * gradient of a layer with few output positions and many channels is a forward convolution
 * ({@link #kernelGradientByConvolution}); the kernel gradient alone, without the input gradient, comes from the
 * transposed convolution's backward pass where that fits ({@link TransposedKernelGradient}).
 */
public final class Conv2dRoute implements LayerRoute {

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
        if (!transposedConvolutionFits(g)) {
            INDArray unused = Nd4j.createUninitialized(kernel.dataType(), kernel4(kernel).shape(), 'c');
            backward(x, kernel, delta, dx, unused, null);
            return;
        }
        DilatedConvolutions.exec(DynamicCustomOp.builder("deconv2d").addInputs(fourD(delta), kernel4(kernel))
                .addOutputs(fourDView(dx)).addIntegerArguments(g.kernelH(), g.kernelW(), g.strideH(), g.strideW(),
                        g.padTop(), g.padLeft(), g.dilationH(), g.dilationW(), 0, nchw ? 0 : 1, 1).callInplace(false)
                .build(), x.dataType(), g.dilationH(), g.dilationW());
    }

    /**
     * True when the transposed convolution ({@code deconv2d}) of the output gradient gives exactly the input
     * gradient: a symmetric padding from which its output size {@code (out - 1)·stride + effective kernel - 2·pad}
     * is the input size. (DL4J's Same mode with an even kernel pads one more row at the bottom: not symmetric.)
     */
    private static boolean transposedConvolutionFits(ConvGeometry g) {
        return g.padTop() >= 0 && g.padLeft() >= 0
                && (long) (g.outH() - 1) * g.strideH() + g.effectiveKernelH() - 2L * g.padTop() == g.inH()
                && (long) (g.outW() - 1) * g.strideW() + g.effectiveKernelW() - 2L * g.padLeft() == g.inW();
    }

    @Override
    public void backward(INDArray x, INDArray kernel, INDArray delta, INDArray dx, INDArray kernelGradient,
            INDArray biasGradient) {
        INDArray x4 = fourD(x);
        ConvGeometry g = geometry(x4);
        if (kernelGradientByConvolution(g, x4.size(nchw ? 1 : 3))) {
            kernelGradient(x4, fourD(delta), g, kernelGradient.reshape('c', kernel4(kernel).shape()));
            if (biasGradient != null) {
                ChannelSums.of(fourD(delta), nchw, biasGradient);
            }
            if (dx != null) {
                inputGradient(x, kernel, delta, dx);
            }
            return;
        }
        if (dx == null && g.undilated() && transposedConvolutionFits(g)) {
            INDArray k4 = kernel4(kernel);
            TransposedKernelGradient.conv2d(x4, fourD(delta), k4, g, nchw, kernelGradient.reshape('c', k4.shape()),
                    biasGradient);
            return;
        }
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

    /**
     * The step as an adapter needs it to compute its gradients without {@code G}, for 2D layers where that is the
     * cheaper route (those of {@link #kernelGradientByConvolution}: few output positions, many channels, where
     * forming {@code G} costs more than the layer's forward pass); empty elsewhere.
     *
     * @param x     the layer's input
     * @param delta {@code δ = dL/dz}
     */
    public Optional<ConvPass> directPass(INDArray x, INDArray delta) {
        if (oneD) {
            return Optional.empty();
        }
        INDArray x4 = fourD(x);
        ConvGeometry g = geometry(x4);
        if (!kernelGradientByConvolution(g, x4.size(nchw ? 1 : 3)) || Padding.of(g).explicit()) {
            return Optional.empty();
        }
        return Optional.of(new ConvPass(x4, fourD(delta), nchw, g));
    }

    /**
     * True when the kernel gradient is cheaper as a forward convolution than inside {@code conv2d_bp}: libnd4j's
     * {@code conv2d_bp} on the oneDNN natives is 3-8x slower than its forward pass on layers with few output
     * positions and many channels (VGG16's blocks 4-5 at 64x64 input: 512 -> 512 channels at 8x8 took 84 ms against
     * 41 ms, at 4x4 66 ms against 10 ms, batch 16, 2-core Xeon), while it is the faster route on large feature maps.
     * Needs stride 1, dilation 1 and a symmetric padding (the input gradient then goes through
     * {@link #inputGradient}, a transposed convolution).
     */
    private static boolean kernelGradientByConvolution(ConvGeometry g, long inChannels) {
        return g.unitStride() && g.undilated() && (long) g.outH() * g.outW() <= 64 && inChannels >= 256
                && g.padTop() == g.padBottom() && g.padLeft() == g.padRight() && g.padTop() >= 0 && g.padLeft() >= 0;
    }

    /**
     * {@code G[o, c, i, j] = Σ_(n,h,w) δ[n, o, h, w]·x[n, c, h + i − padTop, w + j − padLeft]} as one convolution
     * of x with the batch and channel axes swapped ({@code [C_in, N, H, W]}) by δ as a kernel
     * ({@code [C_out, N, outH, outW]}), padded as the layer: its output {@code [C_in, C_out, kH, kW]} is {@code Gᵀ}.
     */
    private void kernelGradient(INDArray x4, INDArray d4, ConvGeometry g, INDArray g4) {
        int[] swap = nchw ? new int[] {1, 0, 2, 3} : new int[] {3, 0, 1, 2};
        INDArray xt = x4.permute(swap).dup('c');
        INDArray dt = d4.permute(swap).dup('c');
        INDArray gt = Nd4j.createUninitialized(g4.dataType(), new long[] {g4.size(1), g4.size(0), g4.size(2), g4.size(3)},
                'c');
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(xt, dt).addOutputs(gt).addIntegerArguments(g.outH(),
                g.outW(), 1, 1, g.padTop(), g.padLeft(), 1, 1, 0, 0, 1).callInplace(false).build());
        g4.assign(gt.permute(1, 0, 2, 3));
    }

    private int[] args(ConvGeometry g, Padding padding) {
        boolean explicit = padding.explicit();
        return new int[] {g.kernelH(), g.kernelW(), g.strideH(), g.strideW(), explicit ? 0 : g.padTop(),
            explicit ? 0 : g.padLeft(), g.dilationH(), g.dilationW(), g.samePadding() ? 1 : 0, nchw ? 0 : 1, 1};
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
