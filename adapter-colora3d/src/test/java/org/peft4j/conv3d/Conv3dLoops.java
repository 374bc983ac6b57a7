package org.peft4j.conv3d;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Plain-loop 3D convolutions in double precision, written from the definitions and sharing no
 * code with the implementations under test: the reference the tests compare against.
 *
 * <p>Volumes are Java arrays {@code v[n][c][d][h][w]} (channels first whatever the layer's format).
 * Output position {@code o} reads input position {@code o·stride + t·dilation − padFront} per axis;
 * positions outside the input read zero.
 */
public final class Conv3dLoops {

    private Conv3dLoops() {
    }

    /**
     * Output sizes and front padding of DL4J's 3D convolution, from DL4J's documented rules: Same
     * mode {@code out = ceil(in/stride)}, front padding half the total (rounded toward zero);
     * otherwise {@code out = (in + 2·pad − effectiveKernel)/stride + 1} with the given padding.
     */
    public record Sizes(int[] kernel, int[] stride, int[] dilation, int[] padFront, int[] in, int[] out) {

        public static Sizes of(int[] kernel, int[] stride, int[] dilation, int[] padding, boolean same, int[] in) {
            int[] out = new int[3];
            int[] front = new int[3];
            for (int a = 0; a < 3; a++) {
                int effective = (kernel[a] - 1) * dilation[a] + 1;
                if (same) {
                    out[a] = (in[a] + stride[a] - 1) / stride[a];
                    front[a] = ((out[a] - 1) * stride[a] + effective - in[a]) / 2;
                } else {
                    out[a] = (in[a] + 2 * padding[a] - effective) / stride[a] + 1;
                    front[a] = padding[a];
                }
            }
            return new Sizes(kernel, stride, dilation, front, in, out);
        }

        /** Input position read by output {@code o} at tap {@code t} along {@code axis}. */
        int source(int axis, int o, int t) {
            return o * stride[axis] + t * dilation[axis] - padFront[axis];
        }

        boolean inside(int axis, int i) {
            return i >= 0 && i < in[axis];
        }
    }

    /** {@code y[n][o][p] = bias[o] + Σ_{c,t} k[o][c][t]·x[n][c][p·s + t·d − pad]}. */
    public static double[][][][][] conv(double[][][][][] x, double[][][][][] k, double[] bias, Sizes s) {
        int batch = x.length;
        int cin = x[0].length;
        int cout = k.length;
        double[][][][][] y = new double[batch][cout][s.out[0]][s.out[1]][s.out[2]];
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < cout; o++) {
                double[][][][] in = x[n];
                double[][][][] kernel = k[o];
                double[][][] target = y[n][o];
                double b = bias == null ? 0 : bias[o];
                forEachOutput(s, (od, oh, ow) -> {
                    double sum = b;
                    for (int c = 0; c < cin; c++) {
                        sum += correlate(in[c], kernel[c], s, od, oh, ow);
                    }
                    target[od][oh][ow] = sum;
                });
            }
        }
        return y;
    }

    /** The adjoint of {@link #conv}: {@code dx[n][c][i] = Σ_{o,p,t: source = i} dy[n][o][p]·k[o][c][t]}. */
    public static double[][][][][] convInputGradient(double[][][][][] dy, double[][][][][] k, Sizes s) {
        int batch = dy.length;
        int cout = k.length;
        int cin = k[0].length;
        double[][][][][] dx = new double[batch][cin][s.in[0]][s.in[1]][s.in[2]];
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < cout; o++) {
                for (int c = 0; c < cin; c++) {
                    scatter(dy[n][o], k[o][c], s, dx[n][c]);
                }
            }
        }
        return dx;
    }

    /**
     * Depthwise: {@code y[n][c·m + j][p] = bias[c·m + j] + Σ_t w[c][j][t]·x[n][c][p·s + t·d − pad]}.
     *
     * @param w [C][m][kD][kH][kW]
     */
    public static double[][][][][] depthwise(double[][][][][] x, double[][][][][] w, double[] bias, Sizes s) {
        int batch = x.length;
        int channels = x[0].length;
        int m = w[0].length;
        double[][][][][] y = new double[batch][channels * m][s.out[0]][s.out[1]][s.out[2]];
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                for (int j = 0; j < m; j++) {
                    int oc = c * m + j;
                    double b = bias == null ? 0 : bias[oc];
                    double[][][] kernel = w[c][j];
                    int nn = n;
                    int cc = c;
                    forEachOutput(s, (od, oh, ow) -> y[nn][oc][od][oh][ow] = b + correlate(x[nn][cc], kernel, s, od, oh, ow));
                }
            }
        }
        return y;
    }

    /** {@code dw[c][j][t] = Σ_{n,p} dy[n][c·m + j][p]·x[n][c][p·s + t·d − pad]}. */
    public static double[][][][][] depthwiseWeightGradient(double[][][][][] x, double[][][][][] dy, int m, Sizes s) {
        int channels = x[0].length;
        double[][][][][] dw = new double[channels][m][s.kernel[0]][s.kernel[1]][s.kernel[2]];
        for (int n = 0; n < x.length; n++) {
            for (int c = 0; c < channels; c++) {
                for (int j = 0; j < m; j++) {
                    double[][][] out = dy[n][c * m + j];
                    double[][][] in = x[n][c];
                    double[][][] grad = dw[c][j];
                    forEachOutput(s, (od, oh, ow) -> forEachTap(s, od, oh, ow,
                            (td, th, tw, id, ih, iw) -> grad[td][th][tw] += out[od][oh][ow] * in[id][ih][iw]));
                }
            }
        }
        return dw;
    }

    /** {@code dx[n][c][i] = Σ_{j,p,t: source = i} dy[n][c·m + j][p]·w[c][j][t]}. */
    public static double[][][][][] depthwiseInputGradient(double[][][][][] dy, double[][][][][] w, Sizes s) {
        int channels = w.length;
        int m = w[0].length;
        double[][][][][] dx = new double[dy.length][channels][s.in[0]][s.in[1]][s.in[2]];
        for (int n = 0; n < dy.length; n++) {
            for (int c = 0; c < channels; c++) {
                for (int j = 0; j < m; j++) {
                    scatter(dy[n][c * m + j], w[c][j], s, dx[n][c]);
                }
            }
        }
        return dx;
    }

    /** The array's values as v[n][c][d][h][w]; {@code ncdhw=false} reads [N, D, H, W, C]. */
    public static double[][][][][] volume(INDArray array, boolean ncdhw) {
        INDArray a = (ncdhw ? array : array.permute(0, 4, 1, 2, 3)).castTo(DataType.DOUBLE);
        long[] s = a.shape();
        double[][][][][] v = new double[(int) s[0]][(int) s[1]][(int) s[2]][(int) s[3]][(int) s[4]];
        for (int n = 0; n < s[0]; n++) {
            for (int c = 0; c < s[1]; c++) {
                for (int d = 0; d < s[2]; d++) {
                    for (int h = 0; h < s[3]; h++) {
                        for (int w = 0; w < s[4]; w++) {
                            v[n][c][d][h][w] = a.getDouble(n, c, d, h, w);
                        }
                    }
                }
            }
        }
        return v;
    }

    /** The inverse of {@link #volume}: an ND4J double array in the given format. */
    public static INDArray array(double[][][][][] v, boolean ncdhw) {
        INDArray a = Nd4j.create(DataType.DOUBLE, v.length, v[0].length, v[0][0].length, v[0][0][0].length,
                v[0][0][0][0].length);
        for (int n = 0; n < v.length; n++) {
            for (int c = 0; c < v[0].length; c++) {
                for (int d = 0; d < v[0][0].length; d++) {
                    for (int h = 0; h < v[0][0][0].length; h++) {
                        for (int w = 0; w < v[0][0][0][0].length; w++) {
                            a.putScalar(new int[] {n, c, d, h, w}, v[n][c][d][h][w]);
                        }
                    }
                }
            }
        }
        return ncdhw ? a : a.permute(0, 2, 3, 4, 1).dup('c');
    }

    private static double correlate(double[][][] x, double[][][] k, Sizes s, int od, int oh, int ow) {
        double[] sum = {0};
        forEachTap(s, od, oh, ow, (td, th, tw, id, ih, iw) -> sum[0] += k[td][th][tw] * x[id][ih][iw]);
        return sum[0];
    }

    private static void scatter(double[][][] dy, double[][][] k, Sizes s, double[][][] dx) {
        forEachOutput(s, (od, oh, ow) -> forEachTap(s, od, oh, ow,
                (td, th, tw, id, ih, iw) -> dx[id][ih][iw] += dy[od][oh][ow] * k[td][th][tw]));
    }

    private static void forEachOutput(Sizes s, OutputVisitor visitor) {
        for (int od = 0; od < s.out[0]; od++) {
            for (int oh = 0; oh < s.out[1]; oh++) {
                for (int ow = 0; ow < s.out[2]; ow++) {
                    visitor.visit(od, oh, ow);
                }
            }
        }
    }

    /** Visits the taps of output (od, oh, ow) whose input position lies inside the volume. */
    private static void forEachTap(Sizes s, int od, int oh, int ow, TapVisitor visitor) {
        for (int td = 0; td < s.kernel[0]; td++) {
            int id = s.source(0, od, td);
            for (int th = 0; th < s.kernel[1]; th++) {
                int ih = s.source(1, oh, th);
                for (int tw = 0; tw < s.kernel[2]; tw++) {
                    int iw = s.source(2, ow, tw);
                    if (s.inside(0, id) && s.inside(1, ih) && s.inside(2, iw)) {
                        visitor.visit(td, th, tw, id, ih, iw);
                    }
                }
            }
        }
    }

    @FunctionalInterface
    private interface OutputVisitor {
        void visit(int od, int oh, int ow);
    }

    @FunctionalInterface
    private interface TapVisitor {
        void visit(int td, int th, int tw, int id, int ih, int iw);
    }
}
