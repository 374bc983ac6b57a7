package org.peft4j.ops;

import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The passes of a DL4J dense layer, {@code z = x·W + b} with {@code x [N, nIn]}, {@code W [nIn, nOut]},
 * {@code b [nOut]}, as libnd4j matmul ops ({@link MatMul}): DL4J's own {@code DenseLayer} multiplies through
 * ND4J's Java BLAS wrapper ({@code mmuli}) and computes its forward pass again in the backward pass.
 */
public final class DenseRoute implements LayerRoute {

    private final long outputs;

    public DenseRoute(DenseLayer layer) {
        this.outputs = layer.getNOut();
    }

    @Override
    public long[] outputShape(INDArray x) {
        return new long[] {x.size(0), outputs};
    }

    @Override
    public void forward(INDArray x, INDArray w, INDArray bias, INDArray z) {
        MatMul.accumulate(1, x, false, w, false, 0, z);
        if (bias != null) {
            z.addiRowVector(bias.reshape(1, outputs));
        }
    }

    @Override
    public void inputGradient(INDArray x, INDArray w, INDArray delta, INDArray dx) {
        MatMul.accumulate(1, delta, false, w, true, 0, dx);
    }

    /** {@code dL/dW = xᵀ·δ [nIn, nOut]} (DL4J's own layout), {@code dL/db = Σ_n δ}, {@code dL/dx = δ·Wᵀ}. */
    @Override
    public void backward(INDArray x, INDArray w, INDArray delta, INDArray dx, INDArray kernelGradient,
            INDArray biasGradient) {
        MatMul.accumulate(1, x, true, delta, false, 0, kernelGradient);
        if (biasGradient != null) {
            biasGradient.assign(delta.sum(0).reshape(biasGradient.shape()));
        }
        if (dx != null) {
            inputGradient(x, w, delta, dx);
        }
    }
}
