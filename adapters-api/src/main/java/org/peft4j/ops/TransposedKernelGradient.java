package org.peft4j.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The kernel gradient {@code G = dL/dK} of a convolution without its input gradient, for a layer whose input
 * gradient nobody needs (the lowest layer with trainable parameters).
 *
 * <p>The convolution's input gradient is the transposed convolution of {@code δ} with the same kernel
 * ({@code dx = Kᵀ ⊛ δ}, where the transposed convolution fits the geometry, see
 * {@link Conv2dRoute#inputGradient}). The weight gradient of that transposed convolution, with {@code δ} as its input
 * and {@code x} as its output gradient, is {@code Σ_(n, p) δ[n, o, p]·x[n, c, p + t]}: exactly {@code G}. libnd4j's
 * {@code deconv2d_bp} / {@code deconv3d_bp} compute it with oneDNN's backward-weights kernel, besides the
 * transposed convolution's own input gradient, a forward convolution of {@code x}. The convolution's backward op
 * ({@code conv2d_bp}, {@code conv3dnew_bp}) instead always computes {@code dx}, which oneDNN's backward-data kernels
 * make several times dearer than a forward pass on layers with few input channels, such as a network's first layer
 * on single-channel scans (docs/performance.md, "Routes chosen by measurement").
 *
 * <pre>
 *   x [N, C_in, spatial...] or channels last,  δ [N, C_out, outSpatial...] or channels last
 *   G [C_out, C_in, k...],  dL/db [C_out] = Σ δ
 * </pre>
 */
final class TransposedKernelGradient {

    private TransposedKernelGradient() {
    }

    /**
     * A 2D convolution (1D as 2D with a unit height): undilated, with a geometry the transposed convolution fits.
     *
     * @param x4      the input, 4D, c order
     * @param delta4  {@code δ}, 4D, c order
     * @param kernel4 the kernel {@code [C_out, C_in, kH, kW]}
     * @param g4      receives {@code G}, {@code [C_out, C_in, kH, kW]}
     * @param bias    receives {@code dL/db}, or null
     */
    static void conv2d(INDArray x4, INDArray delta4, INDArray kernel4, ConvGeometry g, boolean nchw, INDArray g4,
            INDArray bias) {
        INDArray unused = Nd4j.createUninitialized(delta4.dataType(), delta4.shape(), 'c');
        Nd4j.exec(DynamicCustomOp.builder("deconv2d_bp").addInputs(delta4, kernel4, x4).addOutputs(unused, g4)
                .addIntegerArguments(g.kernelH(), g.kernelW(), g.strideH(), g.strideW(), g.padTop(), g.padLeft(), 1, 1,
                        0, nchw ? 0 : 1, 1)
                .callInplace(false).build());
        if (bias != null) {
            ChannelSums.of(delta4, nchw, bias);
        }
    }

    /**
     * A 3D convolution: undilated, with a geometry the transposed convolution fits.
     *
     * @param x      the input, c order
     * @param delta  {@code δ}, c order
     * @param kernel {@code [C_out, C_in, kD, kH, kW]}, c order
     * @param grad   receives {@code G}, {@code [C_out, C_in, kD, kH, kW]}
     * @param bias   receives {@code dL/db}, or null
     */
    static void conv3d(INDArray x, INDArray delta, INDArray kernel, Conv3dGeometry g, INDArray grad, INDArray bias) {
        INDArray unused = Nd4j.createUninitialized(delta.dataType(), delta.shape(), 'c');
        Nd4j.exec(DynamicCustomOp.builder("deconv3d_bp").addInputs(delta, kernel, x).addOutputs(unused, grad)
                .addIntegerArguments(g.transposedArgs()).callInplace(false).build());
        if (bias != null) {
            ChannelSums.of(delta, g.ncdhw(), bias);
        }
    }
}
