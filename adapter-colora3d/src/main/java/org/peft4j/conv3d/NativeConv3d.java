package org.peft4j.conv3d;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A full 3D convolution and its input gradient through libnd4j's native ops, for a kernel in
 * DL4J's layout {@code K [C_out, C_in, kD, kH, kW]} and activations in the geometry's data format.
 *
 * <p>The input gradient uses the transposed convolution {@code deconv3d} (one gemm and a
 * col2vol) instead of {@code conv3dnew_bp}, which also computes the kernel gradient (a second
 * vol2col and gemm) that a frozen or merged kernel does not need.
 */
public final class NativeConv3d {

    private NativeConv3d() {
    }

    /**
     * {@code out = K ⊛ x + bias}, computed exactly as DL4J's {@code Convolution3DLayer} computes it.
     *
     * @param x      the input batch in the geometry's format
     * @param kernel [C_out, C_in, kD, kH, kW]
     * @param bias   [C_out], or null
     * @param out    [N, C_out, oD, oH, oW] or [N, oD, oH, oW, C_out], overwritten
     */
    public static void forward(INDArray x, INDArray kernel, INDArray bias, Conv3dGeometry geometry, INDArray out) {
        INDArray weights = kernel.permute(2, 3, 4, 1, 0);
        INDArray[] inputs = bias == null ? new INDArray[] {x, weights} : new INDArray[] {x, weights, bias};
        Nd4j.exec(DynamicCustomOp.builder("conv3dnew").addInputs(inputs).addIntegerArguments(geometry.convArgs())
                .addOutputs(out).callInplace(false).build());
    }

    /**
     * {@code dL/dx} of {@code z = K ⊛ x} for {@code delta = dL/dz}.
     *
     * @param delta  [N, C_out, oD, oH, oW] or [N, oD, oH, oW, C_out]
     * @param kernel [C_out, C_in, kD, kH, kW]
     * @param eps    the input's shape in the geometry's format, overwritten
     */
    public static void inputGradient(INDArray delta, INDArray kernel, Conv3dGeometry geometry, INDArray eps) {
        INDArray weights = kernel.permute(2, 3, 4, 1, 0);
        int[] pad = {geometry.padFront(0), geometry.padFront(1), geometry.padFront(2)};
        if (transposedSizeIsInputSize(geometry, pad)) {
            deconv(delta, weights, geometry, pad, eps);
            return;
        }
        // deconv3d insists on its own output size, (out-1)·s + effective kernel - 2·pad per axis: with an
        // asymmetric or truncated padding that is not the input size, so scatter with no padding and crop
        long[] full = geometry.shape(eps.size(0), kernel.size(1), false);
        int spatial = geometry.ncdhw() ? 2 : 1;
        for (int a = 0; a < 3; a++) {
            full[spatial + a] = (long) (geometry.out(a) - 1) * geometry.stride(a) + effectiveKernel(geometry, a);
        }
        INDArray scattered = Nd4j.createUninitialized(eps.dataType(), full);
        deconv(delta, weights, geometry, new int[3], scattered);
        eps.assign(0);
        INDArrayIndex[] to = allIndices();
        INDArrayIndex[] from = allIndices();
        for (int a = 0; a < 3; a++) {
            int first = Math.max(0, -pad[a]);
            int end = (int) Math.min(geometry.in(a), full[spatial + a] - pad[a]);
            if (end <= first) {
                return;
            }
            to[spatial + a] = NDArrayIndex.interval(first, end);
            from[spatial + a] = NDArrayIndex.interval(first + pad[a], end + pad[a]);
        }
        eps.get(to).assign(scattered.get(from));
    }

    private static boolean transposedSizeIsInputSize(Conv3dGeometry geometry, int[] pad) {
        for (int a = 0; a < 3; a++) {
            long size = (long) (geometry.out(a) - 1) * geometry.stride(a) + effectiveKernel(geometry, a) - 2L * pad[a];
            if (pad[a] < 0 || size != geometry.in(a)) {
                return false;
            }
        }
        return true;
    }

    private static long effectiveKernel(Conv3dGeometry geometry, int axis) {
        return (long) (geometry.kernel(axis) - 1) * geometry.dilation(axis) + 1;
    }

    private static void deconv(INDArray delta, INDArray weights, Conv3dGeometry geometry, int[] pad, INDArray out) {
        Nd4j.exec(DynamicCustomOp.builder("deconv3d").addInputs(delta, weights)
                .addIntegerArguments(geometry.deconvArgs(pad)).addOutputs(out).callInplace(false).build());
    }

    private static INDArrayIndex[] allIndices() {
        INDArrayIndex[] index = new INDArrayIndex[5];
        for (int i = 0; i < 5; i++) {
            index[i] = NDArrayIndex.all();
        }
        return index;
    }
}
