package org.peft4j.lora;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The maths of LoRA on a dense layer, in the efficient form that never builds
 * {@code W0 + s·A·B} during training:
 *
 * <pre>
 *   z      = x·W0 + b0 + s·(d(x)·A)·B           x [N, nIn], A [nIn, r], B [r, nOut], s = alpha / r
 *   dB     = s·(d(x)·A)ᵀ·δ                       δ = dL/dz [N, nOut]
 *   dA     = s·d(x)ᵀ·(δ·Bᵀ)
 *   dL/dx  = δ·W0ᵀ + s·d'((δ·Bᵀ)·Aᵀ)
 *   ΔW     = s·A·B                               (merge: W0 += ΔW)
 * </pre>
 *
 * where {@code d} is inverted dropout on the branch input (identity outside training). The
 * dropout mask drawn in a training forward pass is kept for the backward pass of the same input.
 */
final class LoraBranch {

    private final double scale;
    private final double dropout;
    private INDArray mask;

    LoraBranch(LoraConfig config) {
        this.scale = config.scale();
        this.dropout = config.dropout();
    }

    /** Adds {@code s·(d(x)·A)·B} to {@code z} in place. */
    void addForward(INDArray z, INDArray x, INDArray a, INDArray b, boolean training) {
        INDArray hidden = branchInput(x, training).mmul(a);
        z.addi(hidden.mmul(b).muli(scale));
    }

    /**
     * Writes {@code dA} and {@code dB} into the gradient views and adds the branch's share of the
     * input gradient to {@code epsilon} [N, nIn].
     */
    void backward(INDArray x, INDArray delta, INDArray a, INDArray b, INDArray gradA, INDArray gradB,
            INDArray epsilon) {
        INDArray input = branchInput(x, true);
        INDArray hidden = input.mmul(a);
        Nd4j.gemm(hidden, delta, gradB, true, false, scale, 0.0);
        INDArray back = delta.mmul(b.transpose());
        Nd4j.gemm(input, back, gradA, true, false, scale, 0.0);
        INDArray inputGrad = back.mmul(a.transpose()).muli(scale);
        if (mask != null) {
            inputGrad.muli(mask);
        }
        epsilon.addi(inputGrad);
    }

    /** {@code ΔW = s·A·B} [nIn, nOut], a new array. */
    INDArray deltaWeight(INDArray a, INDArray b) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            return a.mmul(b).muli(scale);
        }
    }

    /** Forgets the dropout mask; the next training forward pass draws a new one. */
    void clear() {
        mask = null;
    }

    private INDArray branchInput(INDArray x, boolean training) {
        if (!training || dropout == 0) {
            return x;
        }
        if (mask == null || !mask.equalShapes(x)) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                INDArray keep = Nd4j.createUninitialized(x.dataType(), x.shape());
                Nd4j.getExecutioner().exec(new BernoulliDistribution(keep, 1.0 - dropout));
                mask = keep.divi(1.0 - dropout);
            }
        }
        return x.mul(mask);
    }
}
