package org.peft4j.conv3d;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Reverse;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A full 3D convolution and its input gradient through libnd4j's native ops, for a kernel in
 * DL4J's layout {@code K [C_out, C_in, kD, kH, kW]} and activations in the geometry's data format.
 *
 * <p>{@link #inputGradient} never computes the kernel gradient that {@code conv3dnew_bp} computes
 * along with it (a vol2col and a gemm that a frozen or merged kernel does not need). When the layer
 * does not widen ({@code C_out <= C_in}) and has stride 1 and padding that keeps the sizes
 * consistent (every {@code Truncate}/{@code Strict} layer, {@code Same} with odd effective kernels),
 * it is an ordinary convolution of the output gradient with the kernel flipped in space and its
 * channel axes swapped; otherwise the transposed convolution {@code deconv3d} (a gemm and a
 * col2vol over {@code C_in} channels, where the flipped convolution's vol2col would run over
 * {@code C_out}: measured 10-20x slower for a 1 -> 16 channel layer).
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
        int[] pad = {geometry.padFront(0), geometry.padFront(1), geometry.padFront(2)};
        int[] flippedPad = kernel.size(0) <= kernel.size(1) ? flippedPadding(geometry) : null;
        if (flippedPad != null) {
            // dx[i] = Σ_t δ[i + pad − t·d]·K[t] = Σ_t' δ[i + t'·d − ((k−1)·d − pad)]·K[k−1−t']
            INDArray flipped = Nd4j.exec(new Reverse(kernel.dup('c'), 2, 3, 4))[0].permute(2, 3, 4, 0, 1);
            Nd4j.exec(DynamicCustomOp.builder("conv3dnew").addInputs(delta, flipped)
                    .addIntegerArguments(geometry.flippedConvArgs(flippedPad)).addOutputs(eps).callInplace(false).build());
            return;
        }
        INDArray weights = kernel.permute(2, 3, 4, 1, 0);
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

    /**
     * The input gradient and the kernel (and bias) gradient in one native call, {@code conv3dnew_bp}:
     * cheaper than {@link #inputGradient} plus a separate kernel gradient when both are needed.
     *
     * @param x          the layer input in the geometry's format
     * @param kernel     [C_out, C_in, kD, kH, kW]
     * @param delta      dL/dz in the geometry's format
     * @param eps        dL/dx, the input's shape, overwritten
     * @param kernelGrad dL/dK [C_out, C_in, kD, kH, kW], overwritten
     * @param biasGrad   dL/db [C_out], overwritten; null for none
     */
    public static void backprop(INDArray x, INDArray kernel, INDArray delta, Conv3dGeometry geometry, INDArray eps,
            INDArray kernelGrad, INDArray biasGrad) {
        INDArray weights = kernel.permute(2, 3, 4, 1, 0);
        INDArray weightGrad = kernelGrad.permute(2, 3, 4, 1, 0);
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv3dnew_bp")
                .addIntegerArguments(geometry.convArgs()).callInplace(false);
        if (biasGrad == null) {
            op.addInputs(x, weights, delta).addOutputs(eps, weightGrad);
        } else {
            op.addInputs(x, weights, Nd4j.zeros(kernel.dataType(), kernel.size(0)), delta)
                    .addOutputs(eps, weightGrad, biasGrad);
        }
        Nd4j.exec(op.build());
    }

    /**
     * The symmetric padding {@code (k−1)·d − padFront} of the flipped-kernel convolution, or null
     * when it does not apply: a stride above 1, a negative padding, or an output size from which
     * that padding does not give back the input size (asymmetric {@code Same} padding).
     */
    private static int[] flippedPadding(Conv3dGeometry geometry) {
        int[] pad = new int[3];
        for (int a = 0; a < 3; a++) {
            long effective = effectiveKernel(geometry, a);
            pad[a] = (int) (effective - 1 - geometry.padFront(a));
            if (geometry.stride(a) != 1 || pad[a] < 0 || geometry.out(a) + 2L * pad[a] - effective + 1 != geometry.in(a)) {
                return null;
            }
        }
        return pad;
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
