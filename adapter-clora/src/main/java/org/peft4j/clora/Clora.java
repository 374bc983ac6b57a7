package org.peft4j.clora;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.ops.MatMul;
import org.peft4j.spi.AdapterGradients;
import org.peft4j.spi.AdapterParameter;
import org.peft4j.spi.AdapterParameters;
import org.peft4j.spi.LayerAdapter;
import org.peft4j.spi.ParameterGroup;
import org.peft4j.spi.WeightShape;

/**
 * CLoRA's maths on one adapted layer (one low-rank module): its update draws on a down pool {@code D} and an up
 * pool {@code U} that it shares with the layers of the same input signature and output width
 * ({@link CloraPlacement}), mixed by its own matrices {@code Q}. In the paper's row-vector convention,
 * {@code y = x·W} with {@code W [d_in, d_out]} ({@code d_in = nIn} or {@code C_in·taps}, {@code d_out = nOut} or
 * {@code C_out}):
 *
 * <pre>
 *   ΔW = s·Σ_h D_h·Q_h·U_h = s·Dcat·blockdiag(Q)·Ucat          s = alpha / r
 *   Dcat [d_in, p·r],  Q [p, r, r],  Ucat [p·r, d_out]          ({@link MixingBlocks})
 *   with Gr = dL/dW [d_in, d_out] and A = Dcat·blockdiag(Q):
 *   Z = s·Gr·Ucatᵀ = dL/dA,   dL/dDcat = Z·blockdiag(Q)ᵀ,   dL/dQ_h = block h of Dcatᵀ·Z,   dL/dUcat = s·Aᵀ·Gr
 * </pre>
 *
 * plus the gradient of this module's diversity term {@code lambda·SADE} ({@link Sade}), which the training score
 * includes. Parameter layouts: {@code Q [p, r, r]} (identity at start); {@code D} dense {@code [nIn, p·r]},
 * convolution {@code [p·r, C_in, k...]} (a down convolution, basis h = channels {@code h·r ..}), Kaiming-uniform at
 * start; {@code U} dense {@code [p·r, nOut]}, convolution {@code [C_out, p·r]} (a 1x1 up convolution), zero at
 * start. A convolution's {@code W} above is its kernel as {@code [C_out, C_in·taps]} transposed.
 */
final class Clora implements LayerAdapter {

    static final String DOWN = "D";
    static final String UP = "U";
    static final String MIX = "Q";

    private final CloraConfig config;
    private final WeightShape weight;
    private final CloraPlacement placement;
    private final double pairWeight;
    private final boolean dense;

    Clora(WeightShape weight, CloraConfig config, CloraPlacement placement) {
        this.config = config;
        this.weight = weight;
        this.placement = placement;
        this.pairWeight = Sade.pairWeight(config, placement.modules());
        this.dense = weight.kind() == WeightShape.Kind.DENSE;
    }

    @Override
    public List<AdapterParameter> parameters() {
        long width = config.width();
        long[] down;
        if (dense) {
            down = new long[] {weight.inputs(), width};
        } else {
            down = weight.shape();
            down[0] = width;
        }
        long[] up = dense ? new long[] {width, weight.outputs()} : new long[] {weight.outputs(), width};
        return List.of(AdapterParameter.weight(MIX, config.pool(), config.rank(), config.rank()),
                AdapterParameter.weight(DOWN, down), AdapterParameter.weight(UP, up));
    }

    /** {@code Q = I}; the down pool's owner draws {@code D}, the up pool's owner zeroes {@code U}. */
    @Override
    public void initialise(AdapterParameters params) {
        MixingBlocks.identity(params.get(MIX));
        if (params.holds(DOWN)) {
            double bound = 1.0 / Math.sqrt(weight.fanIn());
            INDArray d = params.get(DOWN);
            d.assign(Nd4j.rand(d.dataType(), d.shape()).muli(2 * bound).subi(bound));
        }
        if (params.holds(UP)) {
            params.get(UP).assign(0);
        }
    }

    /** Dense {@code ΔW = s·(D·B)·U}; convolution {@code ΔK = ΔWᵀ = s·(Up·Bᵀ)·Dp} as the kernel, no copy. */
    @Override
    public INDArray weightDelta(AdapterParameters params) {
        DataType type = params.dataType();
        INDArray blocks = MixingBlocks.blockDiagonal(params.get(MIX), type);
        INDArray d = downMatrix(params).castTo(type);
        INDArray u = params.get(UP).castTo(type);
        if (dense) {
            return MatMul.product(config.scale(), MatMul.product(d, blocks), false, u, false);
        }
        return MatMul.product(config.scale(), MatMul.timesTransposed(u, blocks), false, d, false)
                .reshape('c', weight.shape());
    }

    /**
     * The gradients above in the parameters' own layouts. Dense ({@code g [nIn, nOut]}): {@code z = s·g·Uᵀ},
     * {@code dD = z·Bᵀ}, {@code dQ = blocks of Dᵀ·z}, {@code dU = s·Bᵀ·(Dᵀ·g)}. Convolution ({@code g [C_out, C_in·taps]}
     * = {@code Grᵀ}, {@code Dp = Dcatᵀ}, {@code Up = Ucatᵀ}): {@code zᵀ = s·Upᵀ·g}, {@code dDp = B·zᵀ},
     * {@code dQ = blocks of Dp·z}, {@code dUp = s·(g·Dpᵀ)·B}.
     */
    @Override
    public void backward(AdapterParameters params, INDArray g, INDArray biasGradient, AdapterGradients gradients) {
        DataType type = g.dataType();
        double s = config.scale();
        INDArray mix = params.get(MIX);
        INDArray blocks = MixingBlocks.blockDiagonal(mix, type);
        INDArray d = downMatrix(params).castTo(type);
        INDArray u = params.get(UP).castTo(type);
        INDArray gradDown;
        INDArray gradMix;
        INDArray gradUp;
        if (dense) {
            INDArray z = MatMul.product(s, g, false, u, true);
            gradDown = MatMul.timesTransposed(z, blocks);
            gradMix = MatMul.transposedTimes(d, z);
            gradUp = MatMul.product(s, blocks, true, MatMul.transposedTimes(d, g), false);
        } else {
            INDArray g2 = g.reshape('c', weight.outputs(), weight.fanIn());
            INDArray zt = MatMul.product(s, u, true, g2, false);
            gradDown = MatMul.product(blocks, zt);
            gradMix = MatMul.timesTransposed(d, zt);
            gradUp = MatMul.product(s, MatMul.timesTransposed(g2, d), false, blocks, false);
        }
        DMatrixRMaj mixGradient = MixingBlocks.heap(gradMix);
        if (pairWeight != 0) {
            double weightOfBatch = pairWeight * (gradients.miniBatch() ? gradients.batchSize() : 1);
            Sade.Result sade = Sade.evaluate(dense ? d : d.transpose(), mix, dense ? u : u.transpose(), weightOfBatch);
            INDArray downFactor = MixingBlocks.array(sade.downFactor(), type);
            INDArray upFactor = MixingBlocks.array(sade.upFactor(), type);
            // the factors are symmetric: Dp·G_D = (Dcat·G_D)ᵀ and Up·G_U = (G_U·Ucat)ᵀ
            if (dense) {
                MatMul.accumulate(1, d, false, downFactor, false, 1, gradDown);
                MatMul.accumulate(1, upFactor, false, u, false, 1, gradUp);
            } else {
                MatMul.accumulate(1, downFactor, false, d, false, 1, gradDown);
                MatMul.accumulate(1, u, false, upFactor, false, 1, gradUp);
            }
            CommonOps_DDRM.addEquals(mixGradient, sade.mix());
        }
        gradMix = MixingBlocks.diagonalBlocks(mixGradient, config.rank(), type);
        gradients.set(MIX, gradMix);
        gradients.set(DOWN, gradDown);
        gradients.set(UP, gradUp);
    }

    /** {@code lambda·SADE} of this module (0 when lambda = 0 or p = 1). */
    @Override
    public double regularizationScore(AdapterParameters params) {
        return pairWeight == 0 ? 0 : Sade.value(down(params), params.get(MIX), up(params), pairWeight);
    }

    /** The pools this module draws from, as adapter-file state: a file whose pools differ is refused. */
    @Override
    public Map<String, String> state(AdapterParameters params) {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("down pool", describe(placement.down()));
        state.put("up pool", describe(placement.up()));
        state.put("modules", String.valueOf(placement.modules()));
        return state;
    }

    /** Dense {@code D [nIn, p·r]}; convolution {@code Dp [p·r, C_in·taps]} (views). */
    private INDArray downMatrix(AdapterParameters params) {
        INDArray d = params.get(DOWN);
        return dense ? d : d.reshape('c', config.width(), weight.fanIn());
    }

    /** {@code Dcat [d_in, p·r]} (a view). */
    private INDArray down(AdapterParameters params) {
        return dense ? downMatrix(params) : downMatrix(params).transpose();
    }

    /** {@code Ucat [p·r, d_out]} (a view). */
    private INDArray up(AdapterParameters params) {
        INDArray u = params.get(UP);
        return dense ? u : u.transpose();
    }

    private static String describe(ParameterGroup group) {
        return group.id() + " " + group.members();
    }
}
