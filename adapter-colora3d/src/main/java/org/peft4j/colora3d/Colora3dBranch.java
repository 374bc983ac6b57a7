package org.peft4j.colora3d;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.conv3d.Conv3dGeometry;
import org.peft4j.conv3d.DepthwiseConv3d;

/**
 * The maths of CoLoRA on a 3D convolution, in the form that never runs the branch as two
 * convolutions and never computes the frozen kernel's gradient.
 *
 * <p>Because the pointwise step has no bias and the depthwise step reuses the base layer's stride,
 * padding and dilation, the branch is itself a convolution with the rank-structured kernel
 * <pre>
 *   ΔK[o, c, k] = Kd[o, k]·Kp[o, c]          (eq. 10-11, the merge)
 *   Kd ⊛ (Kp ⊛ I) = ΔK ⊛ I,   so   z = (K0 + ΔK) ⊛ I + b0 + db
 * </pre>
 * The forward pass and the input gradient are one ordinary convolution with {@code K0 + ΔK}.
 * With {@code δ = dL/dz} and {@code Z1 = Kp ⊛ I} (the pointwise output, [N, D, H, W, C_out]) the
 * adapter gradients need only the cheap factors:
 * <pre>
 *   dKd[o, k] = Σ_{n,p} δ[n, o, p]·Z1[n, o, p·s + k·d − pad]     depthwise weight gradient
 *   dZ1       = depthwise input gradient of δ with Kd
 *   dKp[o, c] = Σ_{n,q} dZ1[n, o, q]·I[n, c, q]                   one gemm
 *   ddb[o]    = Σ_{n,p} δ[n, o, p]
 * </pre>
 * at {@code O(N·P·C_out·(C_in + k))} against the kernel gradient's {@code O(N·P·C_out·C_in·k)}.
 *
 * <p>For a layer with few input channels (the first layer of a grayscale or RGB network) the
 * kernel gradient is itself cheap, a gemm with an inner size of {@code C_in·k}, while the depthwise
 * passes above run over {@code C_out} channels as element-wise ops. Below {@link #FEW_INPUT_CHANNELS}
 * input channels the layer therefore takes the kernel gradient {@code G = dL/dK} from the same
 * native call as the input gradient and contracts it:
 * <pre>
 *   dKd[o, k] = Σ_c Kp[o, c]·G[o, c, k],   dKp[o, c] = Σ_k Kd[o, k]·G[o, c, k]
 * </pre>
 * Measured on 2 cores (N=8, 3x3x3, C_out 16-64, volumes 7^3-28^3): with one input channel that
 * route was 1.4-6x faster, with four about even, with 16 or more 1.1-2.2x slower. The choice
 * depends only on the shape, so runs are reproducible.
 */
final class Colora3dBranch {

    /** Layers with fewer input channels take their adapter gradients from the kernel gradient. */
    static final long FEW_INPUT_CHANNELS = 8;

    private Colora3dBranch() {
    }

    /** True when a layer with {@code inputChannels} should contract the kernel gradient (see class doc). */
    static boolean usesKernelGradient(long inputChannels) {
        return inputChannels < FEW_INPUT_CHANNELS;
    }

    /**
     * {@code dKd} and {@code dKp} from the kernel gradient {@code G} [C_out, C_in, kD, kH, kW].
     *
     * @param gradKp [C_out, C_in], overwritten
     * @param gradKd [C_out, kD, kH, kW], overwritten
     */
    static void adapterGradientsFromKernelGradient(INDArray kernelGrad, INDArray kp, INDArray kd, INDArray gradKp,
            INDArray gradKd) {
        long out = kp.size(0);
        long in = kp.size(1);
        long taps = kd.length() / out;
        INDArray g = kernelGrad.reshape('c', out, in, taps);
        gradKd.reshape('c', out, taps).assign(Nd4j.matmul(kp.reshape('c', out, 1, in), g).reshape('c', out, taps));
        gradKp.assign(Nd4j.matmul(g, kd.reshape('c', out, taps, 1)).reshape('c', out, in));
    }

    /**
     * {@code ΔK[o, c, kd, kh, kw] = Kd[o, kd, kh, kw]·Kp[o, c]}: the update the adapter makes to
     * {@code W}, the single source of truth for the forward pass, merge and unload.
     *
     * @param kp [C_out, C_in]
     * @param kd [C_out, kD, kH, kW]
     * @return [C_out, C_in, kD, kH, kW], a new array in the current workspace
     */
    static INDArray deltaKernel(INDArray kp, INDArray kd) {
        long out = kp.size(0);
        long in = kp.size(1);
        long taps = kd.length() / out;
        INDArray delta = Nd4j.matmul(kp.reshape('c', out, in, 1), kd.reshape('c', out, 1, taps));
        return delta.reshape('c', out, in, kd.size(1), kd.size(2), kd.size(3));
    }

    /** As {@link #deltaKernel}, outside any workspace (for merge). */
    static INDArray detachedDeltaKernel(INDArray kp, INDArray kd) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            return deltaKernel(kp, kd);
        }
    }

    /**
     * Writes {@code dKp}, {@code dKd} and (when {@code gradDb} is not null) {@code ddb}.
     *
     * @param input  the layer input I in the geometry's format
     * @param delta  dL/dz in the geometry's format
     * @param kp     [C_out, C_in]
     * @param kd     [C_out, kD, kH, kW]
     * @param gradKp [C_out, C_in], overwritten
     * @param gradKd [C_out, kD, kH, kW], overwritten
     * @param gradDb [C_out] or null, overwritten
     */
    static void adapterGradients(INDArray input, INDArray delta, INDArray kp, INDArray kd, Conv3dGeometry geometry,
            INDArray gradKp, INDArray gradKd, INDArray gradDb) {
        long out = kp.size(0);
        long in = kp.size(1);
        INDArray inputRows = contiguous(channelsLast(input, geometry)).reshape('c', -1, in);
        INDArray deltaLast = contiguous(channelsLast(delta, geometry));
        INDArray pointwise = inputRows.mmul(kp.transpose())
                .reshape('c', geometry.channelsLastShape(input.size(0), out, false));

        INDArray depthwiseTaps = Nd4j.createUninitialized(delta.dataType(), geometry.taps(), out);
        DepthwiseConv3d.weightGradient(pointwise, deltaLast, geometry, depthwiseTaps);
        gradKd.reshape('c', out, geometry.taps()).assign(depthwiseTaps.transpose());

        INDArray kernelTaps = kd.reshape('c', out, geometry.taps()).transpose();
        INDArray pointwiseGrad = contiguous(DepthwiseConv3d.inputGradient(deltaLast, kernelTaps, geometry))
                .reshape('c', -1, out);
        gradKp.assign(pointwiseGrad.transpose().mmul(inputRows));

        if (gradDb != null) {
            gradDb.assign(deltaLast.reshape('c', -1, out).sum(0));
        }
    }

    private static INDArray channelsLast(INDArray activations, Conv3dGeometry geometry) {
        return geometry.ncdhw() ? activations.permute(0, 2, 3, 4, 1) : activations;
    }

    private static INDArray contiguous(INDArray array) {
        return array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array) ? array : array.dup('c');
    }
}
