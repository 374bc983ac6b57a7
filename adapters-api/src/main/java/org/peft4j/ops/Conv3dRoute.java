package org.peft4j.ops;

import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native passes of a DL4J {@link Convolution3D} (NCDHW or NDHWC) with libnd4j's {@code conv3dnew} and
 * {@code conv3dnew_bp}, the ops DL4J's own layer calls, on the kernel {@code [C_out, C_in, kD, kH, kW]}. The
 * input gradient alone is one transposed convolution of {@code δ} ({@code deconv3d}) where that is exact, else
 * {@code conv3dnew_bp}; the kernel gradient alone, without the input gradient, comes from that transposed
 * convolution's backward pass where it fits ({@link TransposedKernelGradient}).
 */
public final class Conv3dRoute implements LayerRoute {

    private final Convolution3D conf;

    public Conv3dRoute(Convolution3D conf) {
        this.conf = conf;
    }

    @Override
    public long[] outputShape(INDArray x) {
        return Conv3dGeometry.of(conf, x).shape(x.size(0), conf.getNOut(), true);
    }

    @Override
    public void forward(INDArray x, INDArray kernel, INDArray bias, INDArray z) {
        Conv3dGeometry g = Conv3dGeometry.of(conf, x);
        INDArray[] inputs = bias == null ? new INDArray[] {contiguous(x), contiguous(kernel)}
                : new INDArray[] {contiguous(x), contiguous(kernel), bias.reshape(bias.length())};
        DilatedConvolutions.exec(DynamicCustomOp.builder("conv3dnew").addInputs(inputs).addOutputs(z)
                .addIntegerArguments(g.convArgs()).callInplace(false).build(), x.dataType(), g.dilations());
    }

    @Override
    public void inputGradient(INDArray x, INDArray kernel, INDArray delta, INDArray dx) {
        Conv3dGeometry g = Conv3dGeometry.of(conf, x);
        if (!transposedConvolutionFits(g)) {
            INDArray unused = Nd4j.createUninitialized(kernel.dataType(), kernel.shape(), 'c');
            backward(x, kernel, delta, dx, unused, null);
            return;
        }
        DilatedConvolutions.exec(DynamicCustomOp.builder("deconv3d").addInputs(contiguous(delta), contiguous(kernel))
                .addIntegerArguments(g.transposedArgs()).addOutputs(dx).callInplace(false).build(), x.dataType(),
                g.dilations());
    }

    @Override
    public void backward(INDArray x, INDArray kernel, INDArray delta, INDArray dx, INDArray kernelGradient,
            INDArray biasGradient) {
        Conv3dGeometry g = Conv3dGeometry.of(conf, x);
        if (dx == null && g.undilated() && transposedConvolutionFits(g)) {
            TransposedKernelGradient.conv3d(contiguous(x), contiguous(delta), contiguous(kernel), g, kernelGradient,
                    biasGradient);
            return;
        }
        INDArray inputGradient = dx != null ? dx : Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv3dnew_bp")
                .addIntegerArguments(g.convArgs()).callInplace(false);
        if (biasGradient == null) {
            op.addInputs(contiguous(x), contiguous(kernel), contiguous(delta)).addOutputs(inputGradient, kernelGradient);
        } else {
            op.addInputs(contiguous(x), contiguous(kernel), Nd4j.zeros(x.dataType(), conf.getNOut()), contiguous(delta))
                    .addOutputs(inputGradient, kernelGradient, biasGradient.reshape(biasGradient.length()));
        }
        DilatedConvolutions.exec(op.build(), x.dataType(), g.dilations());
    }

    /**
     * True when the transposed convolution ({@code deconv3d}) of the output gradient gives exactly the input
     * gradient: a non-negative padding from which its output size {@code (out - 1)·stride + effective kernel
     * - 2·pad} is the input size along every axis.
     */
    private static boolean transposedConvolutionFits(Conv3dGeometry g) {
        for (int a = 0; a < 3; a++) {
            long effective = (long) (g.kernel(a) - 1) * g.dilation(a) + 1;
            if (g.padFront(a) < 0 || (long) (g.out(a) - 1) * g.stride(a) + effective - 2L * g.padFront(a) != g.in(a)) {
                return false;
            }
        }
        return true;
    }

    private static INDArray contiguous(INDArray x) {
        return KernelLayout.contiguous(x);
    }
}
