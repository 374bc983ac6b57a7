package org.peft4j.testkit;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Convolutions by plain loops over {@code double[n][c][h][w]} arrays, written from the definitions
 * (not from the code under test), to check adapted layers against: the output size and padding of
 * each DL4J convolution mode, a full convolution, a pointwise and a depthwise one, and DL4J's
 * parameter layouts (including the 1D weight trap: {@code W [C_out, C_in, k, 1]} is read as a c-order
 * {@code [k, C_in, C_out]} buffer).
 */
public final class ReferenceConvolution {

    private ReferenceConvolution() {
    }

    /** Output size, top/left padding and steps along the two spatial axes of {@code c}. */
    public record Geometry(int kernelH, int kernelW, int strideH, int strideW, int dilationH, int dilationW,
            int padTop, int padLeft, int outH, int outW) {
    }

    /** The geometry of {@code c}, by the DL4J documentation of each convolution mode. */
    public static Geometry geometry(ConvCase c) {
        int[] h = axis(c.mode(), c.inH(), c.kernelH(), c.strideH(), c.dilationH(), c.padH());
        int[] w = axis(c.mode(), c.inW(), c.kernelW(), c.strideW(), c.dilationW(), c.padW());
        return new Geometry(c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.dilationH(), c.dilationW(),
                h[1], w[1], h[0], w[0]);
    }

    /** {out, padBefore} along one axis. */
    private static int[] axis(ConvolutionMode mode, int in, int k, int s, int d, int p) {
        int effective = (k - 1) * d + 1;
        return switch (mode) {
            case Same -> {
                int out = (in + s - 1) / s;
                int total = Math.max(0, (out - 1) * s + effective - in);
                yield new int[] {out, total / 2};
            }
            case Causal -> new int[] {(in + s - 1) / s, effective - 1};
            default -> new int[] {(in + 2 * p - effective) / s + 1, p};
        };
    }

    /** {@code z[n][o][y][x] = Σ_c Σ_{i,j} k[o][c][i][j] · in[n][c][y·sH + i·dH - padTop][x·sW + j·dW - padLeft]}. */
    public static double[][][][] convolve(double[][][][] in, double[][][][] k, Geometry g) {
        int n = in.length;
        int channels = in[0].length;
        double[][][][] z = new double[n][k.length][g.outH()][g.outW()];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < k.length; o++) {
                for (int c = 0; c < channels; c++) {
                    accumulate(in[b][c], k[o][c], z[b][o], g);
                }
            }
        }
        return z;
    }

    /** {@code z[n][o] = depthwise(in[n][o], kd[o])}, one kernel per channel, the same geometry. */
    public static double[][][][] depthwise(double[][][][] in, double[][][] kd, Geometry g) {
        double[][][][] z = new double[in.length][kd.length][g.outH()][g.outW()];
        for (int b = 0; b < in.length; b++) {
            for (int o = 0; o < kd.length; o++) {
                accumulate(in[b][o], kd[o], z[b][o], g);
            }
        }
        return z;
    }

    /** {@code z[n][o][y][x] = Σ_c w[o][c] · in[n][c][y][x]}. */
    public static double[][][][] pointwise(double[][][][] in, double[][] w) {
        int h = in[0][0].length;
        int wd = in[0][0][0].length;
        double[][][][] z = new double[in.length][w.length][h][wd];
        for (int b = 0; b < in.length; b++) {
            for (int o = 0; o < w.length; o++) {
                for (int c = 0; c < w[o].length; c++) {
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < wd; x++) {
                            z[b][o][y][x] += w[o][c] * in[b][c][y][x];
                        }
                    }
                }
            }
        }
        return z;
    }

    /** {@code a + scale·b} elementwise, a new array. */
    public static double[][][][] plus(double[][][][] a, double[][][][] b, double scale) {
        double[][][][] z = new double[a.length][a[0].length][a[0][0].length][a[0][0][0].length];
        forEach(z, (n, c, y, x) -> z[n][c][y][x] = a[n][c][y][x] + scale * b[n][c][y][x]);
        return z;
    }

    /** {@code a[n][c][..] + bias[c]}, a new array. */
    public static double[][][][] plusBias(double[][][][] a, double[] bias) {
        double[][][][] z = new double[a.length][a[0].length][a[0][0].length][a[0][0][0].length];
        forEach(z, (n, c, y, x) -> z[n][c][y][x] = a[n][c][y][x] + bias[c]);
        return z;
    }

    /** tanh elementwise, a new array. */
    public static double[][][][] tanh(double[][][][] a) {
        double[][][][] z = new double[a.length][a[0].length][a[0][0].length][a[0][0][0].length];
        forEach(z, (n, c, y, x) -> z[n][c][y][x] = Math.tanh(a[n][c][y][x]));
        return z;
    }

    /** Activations of a layer in its data format, as {@code [n][c][h][w]} ({@code h = 1} in 1D). */
    public static double[][][][] nchw(INDArray a, boolean oneD, boolean channelsLast) {
        int n = (int) a.size(0);
        if (oneD) {
            int c = (int) a.size(channelsLast ? 2 : 1);
            int l = (int) a.size(channelsLast ? 1 : 2);
            double[][][][] z = new double[n][c][1][l];
            forEach(z, (b, ch, y, x) -> z[b][ch][0][x] = channelsLast ? a.getDouble(b, x, ch) : a.getDouble(b, ch, x));
            return z;
        }
        int c = (int) a.size(channelsLast ? 3 : 1);
        int h = (int) a.size(channelsLast ? 1 : 2);
        int w = (int) a.size(channelsLast ? 2 : 3);
        double[][][][] z = new double[n][c][h][w];
        forEach(z, (b, ch, y, x) -> z[b][ch][y][x] = channelsLast ? a.getDouble(b, y, x, ch) : a.getDouble(b, ch, y, x));
        return z;
    }

    /** DL4J's convolution weight {@code W} as {@code k[o][c][i][j]} (1D: {@code i = 0}, from the {@code [k, C_in, C_out]} buffer). */
    public static double[][][][] kernel(INDArray w, boolean oneD) {
        int out = (int) w.size(0);
        int in = (int) w.size(1);
        if (oneD) {
            int k = (int) w.size(2);
            double[] buffer = w.dup('c').data().asDouble();
            double[][][][] z = new double[out][in][1][k];
            forEach(z, (o, c, i, t) -> z[o][c][0][t] = buffer[(t * in + c) * out + o]);
            return z;
        }
        double[][][][] z = new double[out][in][(int) w.size(2)][(int) w.size(3)];
        forEach(z, (o, c, i, j) -> z[o][c][i][j] = w.getDouble(o, c, i, j));
        return z;
    }

    /** The largest {@code |a - b| / max(1, |b|)}. */
    public static double maxRelativeError(double[][][][] a, double[][][][] b) {
        double[] worst = {0};
        forEach(a, (n, c, y, x) -> worst[0] = Math.max(worst[0],
                Math.abs(a[n][c][y][x] - b[n][c][y][x]) / Math.max(1, Math.abs(b[n][c][y][x]))));
        return worst[0];
    }

    private static void accumulate(double[][] in, double[][] k, double[][] z, Geometry g) {
        for (int y = 0; y < g.outH(); y++) {
            for (int x = 0; x < g.outW(); x++) {
                for (int i = 0; i < k.length; i++) {
                    for (int j = 0; j < k[i].length; j++) {
                        int h = y * g.strideH() + i * g.dilationH() - g.padTop();
                        int w = x * g.strideW() + j * g.dilationW() - g.padLeft();
                        if (h >= 0 && h < in.length && w >= 0 && w < in[0].length) {
                            z[y][x] += k[i][j] * in[h][w];
                        }
                    }
                }
            }
        }
    }

    /** Visits every index of a 4D array. */
    public static void forEach(double[][][][] a, Visitor visitor) {
        for (int n = 0; n < a.length; n++) {
            for (int c = 0; c < a[n].length; c++) {
                for (int y = 0; y < a[n][c].length; y++) {
                    for (int x = 0; x < a[n][c][y].length; x++) {
                        visitor.visit(n, c, y, x);
                    }
                }
            }
        }
    }

    /** An index visitor. */
    @FunctionalInterface
    public interface Visitor {
        void visit(int n, int c, int y, int x);
    }
}
