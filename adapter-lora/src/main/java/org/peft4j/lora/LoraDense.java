package org.peft4j.lora;

import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.ops.MatMul;
import org.peft4j.spi.AdapterGradients;
import org.peft4j.spi.AdapterParameter;
import org.peft4j.spi.AdapterParameters;
import org.peft4j.spi.DenseBranch;
import org.peft4j.spi.LayerAdapter;
import org.peft4j.spi.WeightShape;

/**
 * The maths of LoRA (Hu et al. 2021) on a dense layer {@code z = x·W0 + b0}, {@code W0 [nIn, nOut]}:
 *
 * <pre>
 *   ΔW = s·A·B              A [nIn, r] (drawn by {@link LoraInit}),  B [r, nOut] (zero at start),  s = alpha / r
 *   dA = s·G·Bᵀ,   dB = s·Aᵀ·G                 G = dL/dW of the merged weight
 * </pre>
 *
 * With dropout p &gt; 0 the branch sees its own input, {@code z = x·W0 + b0 + s·(d(x)·A)·B} with inverted
 * dropout {@code d} (identity outside training), as Hugging Face PEFT does; it then trains as a
 * {@link DenseBranch}, never forming {@code W0 + ΔW}:
 *
 * <pre>
 *   dB = s·(d(x)·A)ᵀ·δ,   dA = s·d(x)ᵀ·(δ·Bᵀ),   its share of dL/dx = s·d'((δ·Bᵀ)·Aᵀ)      δ = dL/dz [N, nOut]
 * </pre>
 *
 * The dropout mask drawn in a training forward pass is kept for the backward pass of the same input.
 */
final class LoraDense implements LayerAdapter, DenseBranch {

    static final String A = "A";
    static final String B = "B";

    private final LoraConfig config;
    private final long in;
    private final long out;
    private INDArray maskedInput;
    private INDArray mask;

    LoraDense(WeightShape weight, LoraConfig config) {
        this.config = config;
        this.in = weight.inputs();
        this.out = weight.outputs();
    }

    @Override
    public List<AdapterParameter> parameters() {
        return List.of(AdapterParameter.weight(A, in, config.rank()), AdapterParameter.weight(B, config.rank(), out));
    }

    /** {@code B = 0}, {@code A} drawn: {@code ΔW = 0}. */
    @Override
    public void initialise(AdapterParameters params) {
        params.get(B).assign(0);
        config.init().initialize(params.get(A), in, config.rank());
    }

    @Override
    public INDArray weightDelta(AdapterParameters params) {
        return MatMul.product(config.scale(), params.get(A), false, params.get(B), false);
    }

    @Override
    public void backward(AdapterParameters params, INDArray g, INDArray biasGradient, AdapterGradients gradients) {
        double s = config.scale();
        gradients.set(A, MatMul.product(s, g, false, params.get(B), true));
        gradients.set(B, MatMul.product(s, params.get(A), true, g, false));
    }

    @Override
    public Optional<DenseBranch> branch() {
        return config.dropout() > 0 ? Optional.of(this) : Optional.empty();
    }

    @Override
    public INDArray forward(AdapterParameters params, INDArray x) {
        return MatMul.product(config.scale(), MatMul.product(dropped(x), params.get(A)), false, params.get(B), false);
    }

    @Override
    public INDArray inputGradient(AdapterParameters params, INDArray x, INDArray delta, AdapterGradients gradients) {
        double s = config.scale();
        INDArray input = dropped(x);
        INDArray a = params.get(A);
        INDArray b = params.get(B);
        gradients.set(B, MatMul.product(s, MatMul.product(input, a), true, delta, false));
        INDArray back = MatMul.timesTransposed(delta, b);
        gradients.set(A, MatMul.product(s, input, true, back, false));
        return MatMul.product(s, back, false, a, true).muli(mask);
    }

    /** {@code d(x) = x·mask}, the mask drawn once per input (keep probability 1 - p, scaled by 1 / (1 - p)). */
    private INDArray dropped(INDArray x) {
        if (x != maskedInput || mask == null || !mask.equalShapes(x)) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                INDArray keep = Nd4j.createUninitialized(x.dataType(), x.shape());
                Nd4j.getExecutioner().exec(new BernoulliDistribution(keep, 1.0 - config.dropout()));
                mask = keep.divi(1.0 - config.dropout());
            }
            maskedInput = x;
        }
        return x.mul(mask);
    }
}
