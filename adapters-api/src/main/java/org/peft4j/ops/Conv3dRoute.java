package org.peft4j.ops;

import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native passes of a DL4J {@link Convolution3D} (NCDHW or NDHWC) with libnd4j's {@code conv3dnew} and
 * {@code conv3dnew_bp}, the ops DL4J's own layer calls, on the kernel {@code [C_out, C_in, kD, kH, kW]}. The
 * input gradient alone is one {@code conv3dnew} of {@code δ} with the flipped kernel where that is exact
 * (stride 1 and a padding that gives back the input size), else {@code conv3dnew_bp}.
 */
public final class Conv3dRoute implements ConvRoute {

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
        int[] pad = flippedPadding(g);
        if (pad == null) {
            INDArray unused = Nd4j.createUninitialized(kernel.dataType(), kernel.shape(), 'c');
            backward(x, kernel, delta, dx, unused, null);
            return;
        }
        // dx[i] = Σ_t δ[i + pad − t·d]·K[t] = Σ_t' δ[i + t'·d − ((k−1)·d − pad)]·K[k−1−t']
        DilatedConvolutions.exec(DynamicCustomOp.builder("conv3dnew").addInputs(contiguous(delta),
                Conv2dRoute.flipped(kernel)).addIntegerArguments(g.flippedConvArgs(pad)).addOutputs(dx)
                .callInplace(false).build(), x.dataType(), g.dilations());
    }

    @Override
    public void backward(INDArray x, INDArray kernel, INDArray delta, INDArray dx, INDArray kernelGradient,
            INDArray biasGradient) {
        Conv3dGeometry g = Conv3dGeometry.of(conf, x);
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
     * The symmetric padding {@code (k−1)·d − padFront} of the flipped-kernel convolution, or null when it does
     * not apply: a stride above 1, a negative padding, or an output size from which that padding does not give
     * back the input size (asymmetric {@code Same} padding).
     */
    private static int[] flippedPadding(Conv3dGeometry g) {
        int[] pad = new int[3];
        for (int a = 0; a < 3; a++) {
            long effective = (long) (g.kernel(a) - 1) * g.dilation(a) + 1;
            pad[a] = (int) (effective - 1 - g.padFront(a));
            if (g.stride(a) != 1 || pad[a] < 0 || g.out(a) + 2L * pad[a] - effective + 1 != g.in(a)) {
                return null;
            }
        }
        return pad;
    }

    private static INDArray contiguous(INDArray x) {
        return KernelLayout.contiguous(x);
    }
}
