package org.peft4j.conv3d;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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
 * Each is one pass per tap over a strided view of a zero-padded copy (vol2col without building
 * the columns): T broadcast multiply-adds forward, T gathers and dot-product reductions for the
 * weights, T gather-add-scatters for the input. The cost is O(T·N·P·C) element operations
 * against a full convolution's O(T·N·P·C·C_in) multiply-adds.
 */
public final class DepthwiseConv3d {

    private DepthwiseConv3d() {
    }

    /**
     * The forward pass.
     *
     * @param x [N, D, H, W, C] at the geometry's input size, any strides (e.g. a permuted NCDHW batch)
     * @param w [T, C], row t the weights of tap t per channel
     * @param y [N, oD, oH, oW, C], overwritten; best c-order contiguous
     */
    public static void forward(INDArray x, INDArray w, Conv3dGeometry geometry, INDArray y) {
        forward(PaddedVolume.copyOf(x, geometry, 1), w, geometry, y);
    }

    /** As {@link #forward(INDArray, INDArray, Conv3dGeometry, INDArray)} on an already padded input. */
    static void forward(PaddedVolume x, INDArray w, Conv3dGeometry geometry, INDArray y) {
        checkKernel(w, geometry, y.size(4));
        INDArray kernel = fresh(w);
        Broadcast.mul(x.tap(0), row(kernel, 0), y, 4);
        if (geometry.taps() == 1) {
            return;
        }
        INDArray term = Nd4j.createUninitialized(y.dataType(), y.shape());
        for (int t = 1; t < geometry.taps(); t++) {
            Broadcast.mul(x.tap(t), row(kernel, t), term, 4);
            y.addi(term);
        }
    }

    /**
     * The gradient of the loss with respect to the weights.
     *
     * @param x  the forward input [N, D, H, W, C], any strides
     * @param dy dL/dy [N, oD, oH, oW, C], any strides
     * @param dw [T, C], overwritten
     */
    public static void weightGradient(INDArray x, INDArray dy, Conv3dGeometry geometry, INDArray dw) {
        weightGradient(PaddedVolume.copyOf(x, geometry, 1), dy, geometry, dw);
    }

    /** As {@link #weightGradient(INDArray, INDArray, Conv3dGeometry, INDArray)} on an already padded input. */
    static void weightGradient(PaddedVolume x, INDArray dy, Conv3dGeometry geometry, INDArray dw) {
        checkKernel(dw, geometry, dy.size(4));
        INDArray delta = contiguous(dy);
        INDArray tap = Nd4j.createUninitialized(delta.dataType(), delta.shape());
        INDArray grad = Nd4j.createUninitialized(delta.dataType(), dw.shape());
        for (int t = 0; t < geometry.taps(); t++) {
            // ND4J's dot along dimensions reads a strided view wrongly (garbage values, measured): gather first
            tap.assign(x.tap(t));
            Nd4j.getExecutioner().exec(new Dot(tap, delta, row(grad, t), 0, 1, 2, 3));
        }
        dw.assign(grad);
    }

    /**
     * The gradient of the loss with respect to the input.
     *
     * @param dy dL/dy [N, oD, oH, oW, C], any strides
     * @param w  [T, C]
     * @return dL/dx [N, D, H, W, C], a view of a new padded array
     */
    public static INDArray inputGradient(INDArray dy, INDArray w, Conv3dGeometry geometry) {
        checkKernel(w, geometry, dy.size(4));
        INDArray delta = contiguous(dy);
        INDArray kernel = fresh(w);
        PaddedVolume dx = PaddedVolume.zeros(delta.size(0), delta.size(4), delta.dataType(), geometry);
        INDArray term = Nd4j.createUninitialized(delta.dataType(), delta.shape());
        INDArray sum = Nd4j.createUninitialized(delta.dataType(), delta.shape());
        for (int t = 0; t < geometry.taps(); t++) {
            Broadcast.mul(delta, row(kernel, t), term, 4);
            INDArray target = dx.tap(t);
            // a strided in-place add is 20-50x slower in ND4J than gather, contiguous add, scatter
            sum.assign(target);
            sum.addi(term);
            target.assign(sum);
        }
        return dx.interior();
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
