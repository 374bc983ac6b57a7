package org.peft4j.conv3d;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.peft4j.ops.Conv3dGeometry;
import org.peft4j.ops.MatMul;

/**
 * A depthwise 3D convolution (one spatial kernel per channel, no mixing of channels) and its two
 * gradients, on ND4J ops. DL4J and libnd4j have none; this is its reference implementation in
 * peft4j, used by {@link DepthwiseConvolution3D} and by CoLoRA's adapter gradients.
 *
 * <p>All arrays are channels last. With {@code T = kD·kH·kW} taps numbered in c order and
 * {@code x_t[n, o, c] = x[n, o·stride + t·dilation − padFront, c]} (zero outside the volume,
 * see {@link Conv3dGeometry}):
 * <pre>
 *   forward          y[n, o, c]  = Σ_t x_t[n, o, c] · w[t, c]         x [N, D, H, W, C], w [T, C]
 *   weight gradient  dw[t, c]    = Σ_{n, o} x_t[n, o, c] · dy[n, o, c]  dy [N, oD, oH, oW, C]
 *   input gradient   dx[n, i, c] = Σ_t Σ_{o: o·s + t·d − p = i} dy[n, o, c] · w[t, c]
 * </pre>
 * Each is a loop over the taps with a few whole-array ND4J ops per tap on strided views of a
 * zero-padded copy ({@link PaddedVolume}; vol2col without building the columns): forward, a
 * broadcast multiply and an add; weight gradient, a gather, a multiply and a column sum (gemv);
 * input gradient, the same as forward on the output gradient spread out by the stride, with the
 * kernel read backwards (the transposed convolution). The cost is O(T·N·P·C) element operations
 * against a full convolution's O(T·N·P·C·C_in) multiply-adds.
 */
public final class DepthwiseConv3d {

    private static final int[] UNIT = {1, 1, 1};

    private DepthwiseConv3d() {
    }

    /**
     * The forward pass.
     *
     * @param x [N, D, H, W, C] at the geometry's input size, any strides (e.g. a permuted NCDHW batch)
     * @param w [T, C], row t the weights of tap t per channel
     * @param y [N, oD, oH, oW, C], overwritten; c-order contiguous
     */
    public static void forward(INDArray x, INDArray w, Conv3dGeometry geometry, INDArray y) {
        forward(paddedInput(x, geometry, 1), w, geometry, y);
    }

    /** As {@link #forward(INDArray, INDArray, Conv3dGeometry, INDArray)} on an input from {@link #paddedInput}. */
    static void forward(PaddedVolume x, INDArray w, Conv3dGeometry geometry, INDArray y) {
        checkKernel(w, geometry, y.size(4));
        correlate(x, fresh(w), geometry, tapStarts(geometry, 1), strides(geometry), outputs(geometry), y);
    }

    /**
     * The gradient of the loss with respect to the weights.
     *
     * @param x  the forward input [N, D, H, W, C], any strides
     * @param dy dL/dy [N, oD, oH, oW, C], any strides
     * @param dw [T, C], overwritten
     */
    public static void weightGradient(INDArray x, INDArray dy, Conv3dGeometry geometry, INDArray dw) {
        weightGradient(paddedInput(x, geometry, 1), dy, geometry, dw);
    }

    /** As {@link #weightGradient(INDArray, INDArray, Conv3dGeometry, INDArray)} on an input from {@link #paddedInput}. */
    static void weightGradient(PaddedVolume x, INDArray dy, Conv3dGeometry geometry, INDArray dw) {
        long channels = dy.size(4);
        checkKernel(dw, geometry, channels);
        INDArray delta = contiguous(dy);
        long rows = delta.length() / channels;
        INDArray product = Nd4j.createUninitialized(delta.dataType(), delta.shape());
        INDArray product2d = product.reshape('c', rows, channels);
        INDArray ones = Nd4j.ones(delta.dataType(), 1, rows);
        INDArray grad = Nd4j.createUninitialized(delta.dataType(), dw.shape());
        long[][] starts = tapStarts(geometry, 1);
        int[] strides = strides(geometry);
        int[] outputs = outputs(geometry);
        for (int t = 0; t < geometry.taps(); t++) {
            // gather, then multiply: ND4J's pairwise ops and dot products on strided views are slow or wrong (measured)
            product.assign(x.window(starts[t], strides, outputs));
            product.muli(delta);
            row(grad, t).assign(MatMul.product(ones, product2d).reshape(channels));
        }
        dw.assign(grad);
    }

    /**
     * The gradient of the loss with respect to the input: the transposed convolution, computed as a
     * correlation of the output gradient spread out by the stride with the kernel read backwards,
     * {@code dx[n, i, c] = Σ_t u[n, i + padFront − t·dilation, c]·w[t, c]} where {@code u} holds
     * {@code dy[n, o, c]} at {@code o·stride} and zeros elsewhere.
     *
     * @param dy dL/dy [N, oD, oH, oW, C], any strides
     * @param w  [T, C]
     * @return dL/dx [N, D, H, W, C], a new c-order array
     */
    public static INDArray inputGradient(INDArray dy, INDArray w, Conv3dGeometry geometry) {
        long channels = dy.size(4);
        checkKernel(w, geometry, channels);
        long[] origin = new long[3];
        long[] size = new long[3];
        int[] inputs = new int[3];
        for (int a = 0; a < 3; a++) {
            origin[a] = Math.max(0, (long) (geometry.kernel(a) - 1) * geometry.dilation(a) - geometry.padFront(a));
            size[a] = origin[a] + Math.max((long) (geometry.out(a) - 1) * geometry.stride(a) + 1,
                    (long) geometry.in(a) + geometry.padFront(a));
            inputs[a] = geometry.in(a);
        }
        PaddedVolume spread = PaddedVolume.zeros(dy.size(0), channels, origin, size, dy.dataType());
        spread.place(dy, strides(geometry), 1);
        INDArray dx = Nd4j.createUninitialized(dy.dataType(), geometry.channelsLastShape(dy.size(0), channels, false));
        correlate(spread, fresh(w), geometry, tapStarts(geometry, -1), UNIT, inputs, dx);
        return dx;
    }

    /**
     * A zero-padded channels-last copy of {@code x} [N, D, H, W, C] covering every position the
     * geometry reads, channels repeated {@code repeat} times (see {@link PaddedVolume#place}).
     */
    static PaddedVolume paddedInput(INDArray x, Conv3dGeometry geometry, int repeat) {
        long[] origin = new long[3];
        long[] size = new long[3];
        for (int a = 0; a < 3; a++) {
            origin[a] = Math.max(0, geometry.padFront(a));
            long lastRead = (long) (geometry.out(a) - 1) * geometry.stride(a)
                    + (long) (geometry.kernel(a) - 1) * geometry.dilation(a) - geometry.padFront(a);
            size[a] = origin[a] + Math.max(geometry.in(a), lastRead + 1);
        }
        PaddedVolume padded = PaddedVolume.zeros(x.size(0), x.size(4) * repeat, origin, size, x.dataType());
        padded.place(x, UNIT, repeat);
        return padded;
    }

    /** {@code out = Σ_t window_t ⊙ kernel[t]}, each window of {@code count} positions from {@code starts[t]} by {@code step}. */
    private static void correlate(PaddedVolume source, INDArray kernel, Conv3dGeometry geometry, long[][] starts,
            int[] step, int[] count, INDArray out) {
        Broadcast.mul(source.window(starts[0], step, count), row(kernel, 0), out, 4);
        if (geometry.taps() == 1) {
            return;
        }
        INDArray term = Nd4j.createUninitialized(out.dataType(), out.shape());
        for (int t = 1; t < geometry.taps(); t++) {
            Broadcast.mul(source.window(starts[t], step, count), row(kernel, t), term, 4);
            out.addi(term);
        }
    }

    /**
     * Per tap, the first position read in volume coordinates: {@code t·dilation − padFront} for the
     * forward direction ({@code sign = 1}), {@code padFront − t·dilation} for the transposed one.
     */
    private static long[][] tapStarts(Conv3dGeometry geometry, int sign) {
        long[][] starts = new long[geometry.taps()][3];
        for (int t = 0; t < geometry.taps(); t++) {
            int[] offset = geometry.tap(t);
            for (int a = 0; a < 3; a++) {
                starts[t][a] = sign * ((long) offset[a] * geometry.dilation(a) - geometry.padFront(a));
            }
        }
        return starts;
    }

    private static int[] strides(Conv3dGeometry geometry) {
        return new int[] {geometry.stride(0), geometry.stride(1), geometry.stride(2)};
    }

    private static int[] outputs(Conv3dGeometry geometry) {
        return new int[] {geometry.out(0), geometry.out(1), geometry.out(2)};
    }

    /** {@code array} if it is c-order contiguous, else a c-order copy. */
    static INDArray contiguous(INDArray array) {
        return array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array) ? array : array.dup('c');
    }

    /**
     * A copy of the small kernel in its own buffer: ND4J returns a rank-0 array for the last row of
     * a view that ends its buffer (get(point(last), all()) on a reshaped parameter view, measured).
     */
    private static INDArray fresh(INDArray w) {
        return w.dup('c');
    }

    /** Row {@code t} of an array that owns its buffer (see {@link #fresh}). */
    private static INDArray row(INDArray w, int t) {
        return w.get(NDArrayIndex.point(t), NDArrayIndex.all());
    }

    private static void checkKernel(INDArray w, Conv3dGeometry geometry, long channels) {
        if (w.rank() != 2 || w.size(0) != geometry.taps() || w.size(1) != channels) {
            throw new IllegalArgumentException("depthwise kernel must be [taps=" + geometry.taps() + ", channels="
                    + channels + "], got " + Arrays.toString(w.shape()));
        }
    }
}
