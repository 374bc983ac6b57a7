package org.peft4j.tcurlora;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.conv3d.Conv3dGeometry;
import org.peft4j.conv3d.NativeConv3d;
import org.peft4j.layers.ConvGeometry;
import org.peft4j.layers.ConvolutionOps;

/**
 * Taps mode's core gradient as the runtimes compute it: a convolution of the input with
 * {@link CurFactors#tapsKernel} (libnd4j's conv2d / conv3d, the layer's stride, dilation and padding), then
 * {@code S = Cstᵀ·Σ_n δ_n·Z_nᵀ} folded by {@link TensorCur#foldTaps}, against {@code Σ_t fold(Cstᵀ·G_t·Rstᵀ, t)}
 * with the per-tap kernel gradients {@code G_t} computed by explicit loops over the convolution.
 */
class TapsKernelTest {

    private static final Random RANDOM = new Random(8);

    @Test
    void tapsKernelConvolutionGivesTheFoldOfThePerTapKernelGradients() {
        // {kernel}, {stride}, {dilation}, {padFront}, {in}
        int[][][] cases = {
            {{3, 3}, {1, 1}, {1, 1}, {1, 1}, {5, 6}},
            {{2, 3}, {2, 1}, {1, 2}, {1, 2}, {7, 6}},
            {{1, 3}, {1, 2}, {1, 1}, {0, 1}, {1, 9}},
            {{2, 2, 3}, {1, 2, 1}, {2, 1, 1}, {0, 1, 1}, {5, 4, 4}},
        };
        for (int[][] geometry : cases) {
            int[] kernel = geometry[0];
            int[] stride = geometry[1];
            int[] dilation = geometry[2];
            int[] pad = geometry[3];
            int[] in = geometry[4];
            int axes = kernel.length;
            int[] out = new int[axes];
            int taps = 1;
            int inPositions = 1;
            int outPositions = 1;
            for (int a = 0; a < axes; a++) {
                out[a] = (in[a] + 2 * pad[a] - (kernel[a] - 1) * dilation[a] - 1) / stride[a] + 1;
                taps *= kernel[a];
                inPositions *= in[a];
                outPositions *= out[a];
            }
            int batch = 2;
            int n1 = 4;
            int n2 = 3;
            int r = 2;
            CurFactors factors = CurFactors.select(TensorCurTest.randomSlices(RANDOM, taps, n1, n2), n1, n2, r);
            double[] x = TensorCurTest.randomSlices(RANDOM, 1, batch * n2, inPositions)[0];      // [N, C_in, in...]
            double[] delta = TensorCurTest.randomSlices(RANDOM, 1, batch * n1, outPositions)[0]; // [N, C_out, P]
            double[] expected = new double[taps * r * r];
            INDArray cstT = factors.cst(DataType.DOUBLE).transpose();
            INDArray rstT = factors.rst(DataType.DOUBLE).transpose();
            for (int t = 0; t < taps; t++) {
                int[] tap = unravel(t, kernel);
                double[] g = new double[n1 * n2];
                for (int n = 0; n < batch; n++) {
                    for (int p = 0; p < outPositions; p++) {
                        int[] o = unravel(p, out);
                        int at = 0;
                        boolean inside = true;
                        for (int a = 0; a < axes; a++) {
                            int position = o[a] * stride[a] + tap[a] * dilation[a] - pad[a];
                            inside &= position >= 0 && position < in[a];
                            at = at * in[a] + position;
                        }
                        if (!inside) {
                            continue;
                        }
                        for (int i = 0; i < n1; i++) {
                            for (int c = 0; c < n2; c++) {
                                g[i * n2 + c] += delta[(n * n1 + i) * outPositions + p] * x[(n * n2 + c) * inPositions + at];
                            }
                        }
                    }
                }
                INDArray gt = Nd4j.create(g, new long[] {n1, n2}, DataType.DOUBLE);
                TensorCur.fold(cstT.mmul(gt).mmul(rstT), t, taps, r, expected);
            }
            long side = (long) r * taps;
            INDArray kernelRows = factors.tapsKernel(DataType.DOUBLE);
            INDArray z = convolve(x, kernelRows, batch, n2, side, kernel, stride, dilation, pad, in, out);
            INDArray d = Nd4j.create(delta, new long[] {batch, n1, outPositions}, DataType.DOUBLE);
            INDArray sum = Nd4j.zeros(DataType.DOUBLE, n1, side);
            for (int n = 0; n < batch; n++) {
                sum.addi(d.slice(n).mmul(z.slice(n).transpose()));
            }
            double[] actual = new double[taps * r * r];
            TensorCur.foldTaps(cstT.mmul(sum), taps, r, actual);
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("kernel %s, entry %d", Arrays.toString(kernel), i)
                        .isCloseTo(expected[i], Offset.offset(1e-10 * (1 + Math.abs(expected[i]))));
            }
        }
    }

    /** {@code conv(x, Kv)} as {@code [N, r·n3, P]}, through the ops the runtimes use (2D: NCHW; 3D: NCDHW). */
    private static INDArray convolve(double[] x, INDArray kernelRows, int batch, int inChannels, long side, int[] kernel,
            int[] stride, int[] dilation, int[] pad, int[] in, int[] out) {
        long outPositions = Arrays.stream(out).asLongStream().reduce(1, (a, b) -> a * b);
        if (kernel.length == 2) {
            ConvGeometry g = new ConvGeometry(kernel[0], kernel[1], stride[0], stride[1], dilation[0], dilation[1], pad[0],
                    pad[1], in[0], in[1], out[0], out[1], false);
            INDArray input = Nd4j.create(x, new long[] {batch, inChannels, in[0], in[1]}, DataType.DOUBLE);
            INDArray z = Nd4j.create(DataType.DOUBLE, g.outputShape(batch, side));
            ConvolutionOps.forward(input, kernelRows.reshape('c', side, inChannels, kernel[0], kernel[1]), null, g, z);
            return z.reshape('c', batch, side, outPositions);
        }
        Convolution3D layer = new Convolution3D.Builder().kernelSize(kernel).stride(stride).dilation(dilation).padding(pad)
                .convolutionMode(ConvolutionMode.Truncate).dataFormat(Convolution3D.DataFormat.NCDHW)
                .nIn(inChannels).nOut(side).build();
        INDArray input = Nd4j.create(x, new long[] {batch, inChannels, in[0], in[1], in[2]}, DataType.DOUBLE);
        Conv3dGeometry g = Conv3dGeometry.of(layer, input);
        INDArray z = Nd4j.create(DataType.DOUBLE, g.shape(batch, side, true));
        NativeConv3d.forward(input, kernelRows.reshape('c', side, inChannels, kernel[0], kernel[1], kernel[2]), null, g, z);
        return z.reshape('c', batch, side, outPositions);
    }

    /** The row-major multi-index of {@code flat} in {@code sizes}. */
    private static int[] unravel(int flat, int[] sizes) {
        int[] index = new int[sizes.length];
        for (int a = sizes.length - 1; a >= 0; a--) {
            index[a] = flat % sizes[a];
            flat /= sizes[a];
        }
        return index;
    }
}
