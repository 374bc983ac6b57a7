package org.peft4j.tcurlora;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Taps mode's right-hand contraction for the core gradient of one convolution (1D, 2D or 3D), without
 * the per-tap kernel gradients and without a convolution over all taps. The tensor's slices are the
 * kernel taps ({@code n3 = taps}, slice t = {@code K[:, :, t]} [C_out, C_in]) and the core gradient is
 *
 * <pre>
 *   dL/d dU_c = Σ_t Σ_(a+b+c ≡ t) C_aᵀ·G_t·R_bᵀ = Σ_a C_aᵀ·δ·V_((a+c) mod n3)ᵀ,
 *   V_k = Σ_b R_b·cols_((k+b) mod n3)(x)                                        [r, P]
 * </pre>
 *
 * with {@code cols_t(x) [C_in, P]} the input under tap t at the P output positions and {@code G_t} the
 * kernel gradient of tap t. A 1x1 step commutes with shifting and zero padding, so
 * {@code R_b·cols_t(x) = cols_t(R_b·x)}: this class computes {@code Y = R'·x} ONCE ([r·n3] channels per
 * input position, with {@code R'} the stacked R slices in reversed block order, block m =
 * {@code R_((−m) mod n3)}, {@link CurFactors#reversedRst}), then for each tap t adds the strided window of
 * Y under tap t, its channel blocks rotated by t, to V: block k of V receives block {@code (k−t) mod n3}
 * of the window, which is {@code R_((t−k) mod n3)·cols_t(x)}. Cost per output position: {@code r·n3·C_in}
 * multiply-adds for Y and {@code r·n3·taps} additions, where a convolution with the rearranged kernel
 * would cost {@code r·n3·C_in·taps}.
 *
 * <p>Arrays are channels last, so every window is a strided view read at copy speed.
 */
final class TapsContraction {

    private TapsContraction() {
    }

    /**
     * {@code V} for a batch.
     *
     * @param xLast       input channels last {@code [N, in_0, …, in_(s−1), C_in]}
     * @param reversedRst {@code R'} [r·n3, C_in], block m = {@code R_((−m) mod n3)}
     * @param rank        r
     * @param kernel      kernel sizes per spatial axis (taps = their product, row-major = slice order)
     * @param stride      strides per spatial axis
     * @param dilation    dilations per spatial axis
     * @param padFront    zero padding before each spatial axis
     * @param out         output sizes per spatial axis
     * @return {@code V} as {@code [N·P, r·n3]}, c order: row (n, output position row-major), column block k = V_k
     */
    static INDArray windows(INDArray xLast, INDArray reversedRst, int rank, int[] kernel, int[] stride, int[] dilation,
            int[] padFront, int[] out) {
        int axes = kernel.length;
        long batch = xLast.size(0);
        long inChannels = xLast.size(axes + 1);
        long side = reversedRst.size(0);
        long inPositions = xLast.length() / batch / inChannels;
        INDArray y = xLast.dup('c').reshape('c', batch * inPositions, inChannels).mmul(reversedRst.transpose());
        long[] ySpatial = new long[axes + 2];
        long[] paddedShape = new long[axes + 2];
        INDArrayIndex[] interior = new INDArrayIndex[axes + 2];
        boolean padding = false;
        ySpatial[0] = batch;
        paddedShape[0] = batch;
        interior[0] = NDArrayIndex.all();
        for (int a = 0; a < axes; a++) {
            long in = xLast.size(a + 1);
            long reach = (long) (out[a] - 1) * stride[a] + (long) (kernel[a] - 1) * dilation[a] + 1;
            ySpatial[a + 1] = in;
            paddedShape[a + 1] = Math.max(padFront[a] + in, reach);
            padding |= paddedShape[a + 1] != in;
            interior[a + 1] = NDArrayIndex.interval(padFront[a], padFront[a] + in);
        }
        ySpatial[axes + 1] = side;
        paddedShape[axes + 1] = side;
        interior[axes + 1] = NDArrayIndex.all();
        INDArray padded = y.reshape('c', ySpatial);
        if (padding) {
            padded = Nd4j.zeros(y.dataType(), paddedShape);
            padded.get(interior).assign(y.reshape('c', ySpatial));
        }
        long[] vShape = new long[axes + 2];
        vShape[0] = batch;
        long outPositions = 1;
        for (int a = 0; a < axes; a++) {
            vShape[a + 1] = out[a];
            outPositions *= out[a];
        }
        vShape[axes + 1] = side;
        INDArray v = Nd4j.zeros(y.dataType(), vShape);
        int taps = 1;
        for (int k : kernel) {
            taps *= k;
        }
        for (int t = 0; t < taps; t++) {
            INDArrayIndex[] window = new INDArrayIndex[axes + 2];
            INDArrayIndex[] all = new INDArrayIndex[axes + 2];
            window[0] = NDArrayIndex.all();
            all[0] = NDArrayIndex.all();
            int rest = t;
            for (int a = axes - 1; a >= 0; a--) {
                long first = (long) (rest % kernel[a]) * dilation[a];
                rest /= kernel[a];
                window[a + 1] = NDArrayIndex.interval(first, stride[a], first + (long) (out[a] - 1) * stride[a], true);
                all[a + 1] = NDArrayIndex.all();
            }
            long shift = (long) t * rank;
            if (shift == 0) {
                window[axes + 1] = NDArrayIndex.all();
                v.addi(padded.get(window));
                continue;
            }
            window[axes + 1] = NDArrayIndex.interval(0, side - shift);
            all[axes + 1] = NDArrayIndex.interval(shift, side);
            v.get(all).addi(padded.get(window));
            window[axes + 1] = NDArrayIndex.interval(side - shift, side);
            all[axes + 1] = NDArrayIndex.interval(0, shift);
            v.get(all).addi(padded.get(window));
        }
        return v.reshape('c', batch * outPositions, side);
    }
}
