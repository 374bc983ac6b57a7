package org.peft4j.colora;

import java.util.stream.IntStream;
import org.peft4j.layers.ConvGeometry;

/**
 * The two depthwise passes of CoLoRA's backward step, as plain loops over NCHW arrays in double
 * precision, parallel over channels. Each output position {@code (oh, ow)} of channel {@code o}
 * reads input position {@code (oh·sH + i·dH - padTop, ow·sW + j·dW - padLeft)} for tap {@code (i, j)}.
 *
 * <p>Why loops: per channel these are {@code taps x N x outH x outW} multiply-adds, a fraction
 * {@code 1 / C_in} of the convolution, yet the library routes are slow on this CPU (16 x 128
 * channels, 32 x 32, 3 x 3, 2 cores; {@code ConvRoutes} in the benchmarks module): libnd4j's
 * {@code depthwise_conv2d_bp} took ~6x a libnd4j {@code conv2d} of the same layer, and the
 * im2col + broadcast-reduce route for {@code dKd} and the broadcast + col2im route for {@code E1}
 * ~240 ms and ~380 ms, against ~15 ms and ~22 ms for these loops.
 */
final class DepthwiseKernels {

    private DepthwiseKernels() {
    }

    /**
     * {@code dKd[o, i, j] = Σ_n Σ_oh Σ_ow δ[n, o, oh, ow] · Z1[n, o, oh·sH + i·dH - pT, ow·sW + j·dW - pL]}.
     *
     * @param z1    Z1 = Kp ⊛ x, [N, C, inH, inW] flattened in c order
     * @param delta δ = dL/dz, [N, C, outH, outW] flattened in c order
     * @return dKd [C, kH, kW] flattened in c order
     */
    static double[] weightGradient(double[] z1, double[] delta, int batch, int channels, ConvGeometry g) {
        double[] grad = new double[channels * g.taps()];
        IntStream.range(0, channels).parallel().forEach(o -> {
            for (int i = 0; i < g.kernelH(); i++) {
                for (int j = 0; j < g.kernelW(); j++) {
                    grad[o * g.taps() + i * g.kernelW() + j] = tapProduct(z1, delta, batch, channels, o, i, j, g);
                }
            }
        });
        return grad;
    }

    /**
     * {@code E1[n, o, h, w] = Σ_{i,j} Kd[o, i, j] · δ[n, o, oh, ow]} over the {@code (oh, ow)} that
     * read {@code (h, w)} through tap {@code (i, j)}: the gradient of the depthwise step with respect to Z1.
     *
     * @param delta δ [N, C, outH, outW] flattened in c order
     * @param kd    Kd [C, kH, kW] flattened in c order
     * @return E1 [N, C, inH, inW] flattened in c order
     */
    static double[] inputGradient(double[] delta, double[] kd, int batch, int channels, ConvGeometry g) {
        int inPlane = g.inH() * g.inW();
        double[] grad = new double[batch * channels * inPlane];
        IntStream.range(0, channels).parallel().forEach(o -> {
            for (int n = 0; n < batch; n++) {
                for (int i = 0; i < g.kernelH(); i++) {
                    for (int j = 0; j < g.kernelW(); j++) {
                        scatterTap(delta, kd[o * g.taps() + i * g.kernelW() + j], grad, (n * channels + o), i, j, g);
                    }
                }
            }
        });
        return grad;
    }

    private static double tapProduct(double[] z1, double[] delta, int batch, int channels, int o, int i, int j,
            ConvGeometry g) {
        int col0 = j * g.dilationW() - g.padLeft();
        int owLo = firstInside(col0, g.strideW());
        int owHi = Math.min(g.outW(), Math.floorDiv(g.inW() - 1 - col0, g.strideW()) + 1);
        double sum = 0;
        for (int n = 0; n < batch; n++) {
            int plane = n * channels + o;
            for (int oh = 0; oh < g.outH(); oh++) {
                int h = oh * g.strideH() + i * g.dilationH() - g.padTop();
                if (h < 0 || h >= g.inH()) {
                    continue;
                }
                int in = (plane * g.inH() + h) * g.inW() + col0;
                int out = (plane * g.outH() + oh) * g.outW();
                double row = 0;
                for (int ow = owLo; ow < owHi; ow++) {
                    row += delta[out + ow] * z1[in + ow * g.strideW()];
                }
                sum += row;
            }
        }
        return sum;
    }

    private static void scatterTap(double[] delta, double weight, double[] grad, int plane, int i, int j,
            ConvGeometry g) {
        int col0 = j * g.dilationW() - g.padLeft();
        int owLo = firstInside(col0, g.strideW());
        int owHi = Math.min(g.outW(), Math.floorDiv(g.inW() - 1 - col0, g.strideW()) + 1);
        for (int oh = 0; oh < g.outH(); oh++) {
            int h = oh * g.strideH() + i * g.dilationH() - g.padTop();
            if (h < 0 || h >= g.inH()) {
                continue;
            }
            int in = (plane * g.inH() + h) * g.inW() + col0;
            int out = (plane * g.outH() + oh) * g.outW();
            for (int ow = owLo; ow < owHi; ow++) {
                grad[in + ow * g.strideW()] += weight * delta[out + ow];
            }
        }
    }

    /** The first output column whose input column {@code ow·stride + col0} is not negative. */
    private static int firstInside(int col0, int stride) {
        return Math.max(0, -Math.floorDiv(col0, stride));
    }
}
