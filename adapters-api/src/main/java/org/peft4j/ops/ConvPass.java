package org.peft4j.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One training step of a 2D convolution as an adapter sees it when it computes its parameter gradients from the
 * layer's input and output gradient directly, without forming the merged kernel's gradient {@code G}
 * ({@link Conv2dRoute#directPass}): the input as rows, the output gradient channels-last, and the layer's
 * geometry for libnd4j's depthwise convolution.
 *
 * <pre>
 *   inputRows()   [N·H·W, C_in]            the input x, one row per input position
 *   deltaNhwc()   [N, outH, outW, C_out]   δ = dL/dz
 * </pre>
 */
public final class ConvPass {

    private final INDArray inputRows;
    private final INDArray deltaNhwc;
    private final long[] inputNhwc;
    private final ConvGeometry geometry;

    ConvPass(INDArray x4, INDArray delta4, boolean nchw, ConvGeometry geometry) {
        this.inputRows = channelsLast(x4, nchw).reshape('c', -1, x4.size(nchw ? 1 : 3));
        this.deltaNhwc = channelsLast(delta4, nchw);
        this.inputNhwc = nchw ? new long[] {x4.size(0), x4.size(2), x4.size(3), x4.size(1)} : x4.shape().clone();
        this.geometry = geometry;
    }

    /** The input x as {@code [N·H·W, C_in]}, rows in (n, h, w) order. */
    public INDArray inputRows() {
        return inputRows;
    }

    /** {@code δ} as {@code [N, outH, outW, C_out]}. */
    public INDArray deltaNhwc() {
        return deltaNhwc;
    }

    /** {@code dL/db = Σ δ} over examples and positions, {@code [C_out]}, a new array ({@link ChannelSums}). */
    public INDArray biasGradient() {
        INDArray sums = Nd4j.createUninitialized(deltaNhwc.dataType(), deltaNhwc.size(3));
        ChannelSums.of(deltaNhwc, false, sums);
        return sums;
    }

    /** The input's shape channels-last with {@code channels} channels: {@code [N, H, W, channels]}. */
    public long[] inputShapeNhwc(long channels) {
        return new long[] {inputNhwc[0], inputNhwc[1], inputNhwc[2], channels};
    }

    /**
     * The gradients of the depthwise convolution {@code y[n, o] = kernel[o] ⊛ z[n, o]} (one filter per channel, the
     * layer's kernel size, stride, padding and dilation, no bias) whose output gradient is {@link #deltaNhwc()}:
     *
     * @param z       the depthwise convolution's input {@code [N, H, W, C_out]}
     * @param kernel  {@code [C_out, kH, kW]}
     * @param dz      receives {@code dL/dz [N, H, W, C_out]}
     * @param dKernel receives {@code dL/dkernel [C_out, kH, kW]} (c order)
     */
    public void depthwiseBackward(INDArray z, INDArray kernel, INDArray dz, INDArray dKernel) {
        long channels = kernel.size(0);
        int kH = geometry.kernelH();
        int kW = geometry.kernelW();
        // libnd4j's weight layout [kH, kW, C, 1] (its format 0): the others run 25x slower in M2.1
        INDArray weights = kernel.permute(1, 2, 0).dup('c').reshape('c', kH, kW, channels, 1);
        INDArray weightGradient = Nd4j.createUninitialized(kernel.dataType(), new long[] {kH, kW, channels, 1}, 'c');
        Nd4j.exec(DynamicCustomOp.builder("depthwise_conv2d_bp")
                .addInputs(z, weights, deltaNhwc)
                .addOutputs(dz, weightGradient)
                .addIntegerArguments(convolutionArguments(0))
                .callInplace(false).build());
        dKernel.assign(weightGradient.reshape('c', kH, kW, channels).permute(2, 0, 1));
    }

    /**
     * The input convolved with another kernel in the layer's geometry (kernel size, stride, padding; the direct pass
     * is offered on undilated layers only): {@code y = kernel ⊛ x}, no bias.
     *
     * @param kernel {@code [C, C_in, kH, kW]}
     * @return {@code y [N, outH, outW, C]}, a new array
     */
    public INDArray convolveInput(INDArray kernel) {
        INDArray y = Nd4j.createUninitialized(kernel.dataType(), outputShapeNhwc(kernel.size(0)), 'c');
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(inputNhwc(), KernelLayout.contiguous(kernel))
                .addOutputs(y).addIntegerArguments(convolutionArguments(1)).callInplace(false).build());
        return y;
    }

    /**
     * The gradient of {@link #convolveInput}'s kernel: {@code dL/dkernel} for the output gradient {@code dy}.
     *
     * @param kernel {@code [C, C_in, kH, kW]}
     * @param dy     {@code dL/dy [N, outH, outW, C]}
     * @return {@code dL/dkernel [C, C_in, kH, kW]}, a new array
     */
    public INDArray kernelGradient(INDArray kernel, INDArray dy) {
        INDArray input = inputNhwc();
        INDArray unusedInputGradient = Nd4j.createUninitialized(input.dataType(), input.shape(), 'c');
        INDArray dKernel = Nd4j.createUninitialized(kernel.dataType(), kernel.shape(), 'c');
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(input, KernelLayout.contiguous(kernel),
                        KernelLayout.contiguous(dy)).addOutputs(unusedInputGradient, dKernel)
                .addIntegerArguments(convolutionArguments(1)).callInplace(false).build());
        return dKernel;
    }

    private INDArray inputNhwc() {
        return inputRows.reshape('c', inputNhwc);
    }

    private long[] outputShapeNhwc(long channels) {
        return new long[] {inputNhwc[0], geometry.outH(), geometry.outW(), channels};
    }

    /**
     * libnd4j's convolution arguments for this geometry, channels-last, with its weight layout code: 1 for
     * {@code [C_out, C_in, kH, kW]} ({@code conv2d}), 0 for {@code [kH, kW, C, 1]} ({@code depthwise_conv2d}).
     */
    private int[] convolutionArguments(int weightFormat) {
        return new int[] {geometry.kernelH(), geometry.kernelW(), geometry.strideH(), geometry.strideW(),
            geometry.padTop(), geometry.padLeft(), geometry.dilationH(), geometry.dilationW(),
            geometry.samePadding() ? 1 : 0, 1, weightFormat};
    }

    private static INDArray channelsLast(INDArray a4, boolean nchw) {
        return nchw ? a4.permute(0, 2, 3, 1).dup('c') : KernelLayout.contiguous(a4);
    }
}
