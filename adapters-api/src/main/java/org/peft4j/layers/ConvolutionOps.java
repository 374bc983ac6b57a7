package org.peft4j.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.convolution.Convolution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The convolution passes adapted and frozen layers need, on NCHW arrays with PyTorch-layout
 * kernels {@code K [C_out, C_in, kH, kW]}, each by the cheapest route measured on a 2-core AVX2
 * CPU (DL4J 1.0.0-M2.1, OpenBLAS; 16 x 128 -> 128 channels, 32 x 32, 3 x 3, float; the
 * benchmarks module's {@code ConvRoutes} repeats the measurement):
 * <ul>
 *   <li>forward: libnd4j's {@code conv2d} op, 2-3x faster than DL4J's ConvolutionLayer (whose
 *       im2col into a permuted buffer dominates);</li>
 *   <li>input gradient, stride 1: a plain {@code conv2d} of the output gradient with the kernel
 *       flipped spatially and its channel axes swapped, 3-4x faster than DL4J's gemm + col2im and
 *       than {@code deconv2d_tf};</li>
 *   <li>input gradient, other strides: one gemm per example into a contiguous column buffer, then
 *       {@code col2im} (about twice as fast as DL4J's route, and exact for any padding).</li>
 * </ul>
 * Nothing here computes a weight gradient of the kernel.
 */
public final class ConvolutionOps {

    private ConvolutionOps() {
    }

    /**
     * {@code z = K ⊛ x + b}.
     *
     * @param x      input [N, C_in, inH, inW]
     * @param kernel K [C_out, C_in, kH, kW]
     * @param bias   b [C_out] (any shape of that length), or null
     * @param out    receives z [N, C_out, outH, outW], c order
     * @return {@code out}
     */
    public static INDArray forward(INDArray x, INDArray kernel, INDArray bias, ConvGeometry g, INDArray out) {
        INDArray weights = kernel.permute(2, 3, 1, 0).dup('c');
        INDArray input = contiguous(x);
        int padH = g.padTop();
        int padW = g.padLeft();
        PaddingMode mode = PaddingMode.SAME;
        if (!g.samePadding()) {
            mode = PaddingMode.VALID;
            if (!symmetricPaddingFits(g)) {
                input = padded(input, g.padTop(), g.padBottom(), g.padLeft(), g.padRight());
                padH = 0;
                padW = 0;
            }
        }
        Conv2DConfig config = config(g.kernelH(), g.kernelW(), g.strideH(), g.strideW(), padH, padW, g.dilationH(),
                g.dilationW(), mode);
        INDArray[] inputs = bias == null ? new INDArray[] {input, weights}
                : new INDArray[] {input, weights, bias.reshape(bias.length())};
        Nd4j.exec(new Conv2D(inputs, new INDArray[] {out}, config));
        return out;
    }

    /**
     * The gradient of {@code K ⊛ x} with respect to {@code x}: {@code dL/dx = Kᵀ ⊛ᵀ δ}.
     *
     * @param delta  δ = dL/dz [N, C_out, outH, outW]
     * @param kernel K [C_out, C_in, kH, kW]
     * @param out    receives dL/dx [N, C_in, inH, inW], c order
     * @return {@code out}
     */
    public static INDArray inputGradient(INDArray delta, INDArray kernel, ConvGeometry g, INDArray out) {
        if (!g.unitStride()) {
            return inputGradientByColumns(delta, kernel, g, out);
        }
        INDArray dz = contiguous(delta);
        // stride 1: dL/dx[h] = sum_i delta[h - top + i·d] · K[k-1-i], i.e. a correlation with the flipped kernel
        int top = g.effectiveKernelH() - 1 - g.padTop();
        int bottom = g.inH() - g.outH() + g.padTop();
        int left = g.effectiveKernelW() - 1 - g.padLeft();
        int right = g.inW() - g.outW() + g.padLeft();
        INDArray flipped = flipped(kernel);
        if (top >= bottom && left >= right && bottom >= 0 && right >= 0) {
            Conv2DConfig config = config(g.kernelH(), g.kernelW(), 1, 1, top, left, g.dilationH(), g.dilationW(),
                    PaddingMode.VALID);
            if (top == bottom && left == right) {
                Nd4j.exec(new Conv2D(new INDArray[] {dz, flipped}, new INDArray[] {out}, config));
            } else {
                INDArray wide = Nd4j.createUninitialized(out.dataType(), new long[] {out.size(0), out.size(1),
                        g.inH() + top - bottom, g.inW() + left - right}, 'c');
                Nd4j.exec(new Conv2D(new INDArray[] {dz, flipped}, new INDArray[] {wide}, config));
                out.assign(wide.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, g.inH()),
                        NDArrayIndex.interval(0, g.inW())));
            }
        } else {
            Conv2DConfig config = config(g.kernelH(), g.kernelW(), 1, 1, 0, 0, g.dilationH(), g.dilationW(),
                    PaddingMode.VALID);
            Nd4j.exec(new Conv2D(new INDArray[] {padded(dz, top, bottom, left, right), flipped},
                    new INDArray[] {out}, config));
        }
        return out;
    }

    /**
     * The columns of {@code x}: {@code cols[n, c, i, j, oh, ow] = x[n, c, oh·s + i·d - pad, ...]}
     * (zero outside the input), a new c-order array [N, C, kH, kW, outH, outW].
     */
    public static INDArray im2col(INDArray x, ConvGeometry g) {
        INDArray cols = Nd4j.createUninitialized(x.dataType(),
                new long[] {x.size(0), x.size(1), g.kernelH(), g.kernelW(), g.outH(), g.outW()}, 'c');
        INDArray input = x;
        int padH = g.padTop();
        int padW = g.padLeft();
        if (!g.samePadding() && !symmetricPaddingFits(g)) {
            input = padded(contiguous(x), g.padTop(), g.padBottom(), g.padLeft(), g.padRight());
            padH = 0;
            padW = 0;
        }
        Convolution.im2col(input, g.kernelH(), g.kernelW(), g.strideH(), g.strideW(), padH, padW, g.dilationH(),
                g.dilationW(), g.samePadding(), cols);
        return cols;
    }

    /**
     * The kernel flipped spatially with its channel axes swapped, in libnd4j's layout:
     * {@code F[i, j, o, c] = K[o, c, kH-1-i, kW-1-j]}, a new array [kH, kW, C_out, C_in]. Reversing both
     * spatial axes reverses the c-order taps, done as one gemm with the exchange matrix (libnd4j's
     * {@code reverse} op took ~160 ms for a 512 x 512 x 3 x 3 kernel here, this ~10 ms).
     */
    static INDArray flipped(INDArray kernel) {
        long out = kernel.size(0);
        long in = kernel.size(1);
        int taps = (int) (kernel.size(2) * kernel.size(3));
        INDArray reversed = contiguous(kernel);
        if (taps > 1) {
            INDArray exchange = Nd4j.zeros(kernel.dataType(), taps, taps);
            for (int t = 0; t < taps; t++) {
                exchange.putScalar(t, taps - 1 - t, 1.0);
            }
            reversed = reversed.reshape('c', out * in, taps).mmul(exchange);
        }
        return reversed.reshape('c', out, in, kernel.size(2), kernel.size(3)).permute(2, 3, 0, 1).dup('c');
    }

    /** {@code x} if it is c-ordered with default strides, else a c-ordered copy. */
    public static INDArray contiguous(INDArray x) {
        return x.ordering() == 'c' && Shape.hasDefaultStridesForShape(x) ? x : x.dup('c');
    }

    private static INDArray inputGradientByColumns(INDArray delta, INDArray kernel, ConvGeometry g, INDArray out) {
        long batch = delta.size(0);
        long outChannels = kernel.size(0);
        long inChannels = kernel.size(1);
        long pixels = (long) g.outH() * g.outW();
        INDArray weights = contiguous(kernel).reshape('c', outChannels, inChannels * g.taps());
        INDArray cols = Nd4j.createUninitialized(out.dataType(),
                new long[] {batch, inChannels, g.kernelH(), g.kernelW(), g.outH(), g.outW()}, 'c');
        INDArray cols3 = cols.reshape('c', batch, inChannels * g.taps(), pixels);
        INDArray delta3 = contiguous(delta).reshape('c', batch, outChannels, pixels);
        for (long n = 0; n < batch; n++) {
            Nd4j.gemm(weights, delta3.slice(n), cols3.slice(n), true, false, 1.0, 0.0);
        }
        Convolution.col2im(cols, out, g.strideH(), g.strideW(), g.padTop(), g.padLeft(), g.inH(), g.inW(),
                g.dilationH(), g.dilationW());
        return out;
    }

    /** True when libnd4j's symmetric VALID padding gives exactly this geometry's output size. */
    private static boolean symmetricPaddingFits(ConvGeometry g) {
        return (g.inH() + 2L * g.padTop() - g.effectiveKernelH()) / g.strideH() + 1 == g.outH()
                && (g.inW() + 2L * g.padLeft() - g.effectiveKernelW()) / g.strideW() + 1 == g.outW()
                && g.inH() + 2L * g.padTop() >= g.effectiveKernelH() && g.inW() + 2L * g.padLeft() >= g.effectiveKernelW();
    }

    /** {@code x} [N, C, H, W] with zero rows/columns added (positive) or removed (negative) on each side. */
    static INDArray padded(INDArray x, int top, int bottom, int left, int right) {
        long h = x.size(2);
        long w = x.size(3);
        INDArray source = x.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(Math.max(0, -top), h - Math.max(0, -bottom)),
                NDArrayIndex.interval(Math.max(0, -left), w - Math.max(0, -right)));
        INDArray result = Nd4j.zeros(x.dataType(), x.size(0), x.size(1),
                source.size(2) + Math.max(0, top) + Math.max(0, bottom), source.size(3) + Math.max(0, left) + Math.max(0, right));
        result.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(Math.max(0, top), Math.max(0, top) + source.size(2)),
                NDArrayIndex.interval(Math.max(0, left), Math.max(0, left) + source.size(3))).assign(source);
        return result;
    }

    private static Conv2DConfig config(int kH, int kW, int sH, int sW, int pH, int pW, int dH, int dW, PaddingMode mode) {
        return Conv2DConfig.builder().kH(kH).kW(kW).sH(sH).sW(sW).pH(pH).pW(pW).dH(dH).dW(dW)
                .paddingMode(mode).dataFormat(Conv2DConfig.NCHW).build();
    }
}
