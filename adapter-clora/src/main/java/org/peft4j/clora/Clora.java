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

    /**
     * {@code ΔW = Dcat·E} with {@code E = s·B·Ucat [p·r, d_out]} (on the heap, block by block): dense
     * {@code D·E [nIn, nOut]}; convolution {@code ΔK = ΔWᵀ = Eᵀ·Dp [C_out, C_in·taps]} as the kernel. One product in
     * ND4J.
     */
    @Override
    public INDArray weightDelta(AdapterParameters params) {
        DataType type = params.dataType();
        INDArray e = MixingBlocks.array(BlockProducts.blockRows(config.scale(), mixing(params), false, upHeap(params),
                config.rank()), type);
        INDArray d = downMatrix(params).castTo(type);
        return dense ? MatMul.product(d, e) : MatMul.transposedTimes(e, d).reshape('c', weight.shape());
    }

    /**
     * The gradients above in the parameters' own layouts, with ND4J doing only the products whose size grows with the
     * layer: {@code Pt = Dcatᵀ·Gr [p·r, d_out]} (dense {@code Dᵀ·g}; convolution, {@code g [C_out, C_in·taps] = Grᵀ},
     * {@code Dp·gᵀ}), {@code dDcat = Gr·Eᵀ} (convolution {@code dDp = E·g}) and SADE's {@code Dcat·G_D} and
     * {@code H = Dcatᵀ·Dcat}. On the heap, block by block: {@code dQ_h = s·Pt_h·U_hᵀ}, {@code dUcat = s·Bᵀ·Pt}
     * (row block h: {@code s·Q_hᵀ·Pt_h}) and {@code E = s·B·Ucat}, all {@code O(p·r²·d_out)}.
     */
    @Override
    public void backward(AdapterParameters params, INDArray g, INDArray biasGradient, AdapterGradients gradients) {
        DataType type = g.dataType();
        int r = config.rank();
        double s = config.scale();
        DMatrixRMaj mix = mixing(params);
        DMatrixRMaj up = upHeap(params);
        INDArray d = downMatrix(params).castTo(type);
        INDArray gr = dense ? g : g.reshape('c', weight.outputs(), weight.fanIn());
        DMatrixRMaj pt = MixingBlocks.heap(dense ? MatMul.transposedTimes(d, gr) : MatMul.timesTransposed(d, gr));
        DMatrixRMaj gradMix = BlockProducts.blockGrams(s, pt, up, r);
        DMatrixRMaj gradUp = BlockProducts.blockRows(s, mix, true, pt, r);
        INDArray e = MixingBlocks.array(BlockProducts.blockRows(s, mix, false, up, r), type);
        INDArray gradDown = dense ? MatMul.product(1, gr, false, e, true) : MatMul.product(e, gr);
        if (pairWeight != 0) {
            double weightOfBatch = pairWeight * (gradients.miniBatch() ? gradients.batchSize() : 1);
            Sade.Result sade = Sade.evaluate(downGram(d), mix, upGrams(up), r, weightOfBatch);
            // G_D is symmetric: Dp·G_D = (Dcat·G_D)ᵀ
            INDArray downFactor = MixingBlocks.array(sade.downFactor(), type);
            if (dense) {
                MatMul.accumulate(1, d, false, downFactor, false, 1, gradDown);
            } else {
                MatMul.accumulate(1, downFactor, false, d, false, 1, gradDown);
            }
            CommonOps_DDRM.addEquals(gradUp, BlockProducts.blockRows(1, sade.upFactor(), false, up, r));
            CommonOps_DDRM.addEquals(gradMix, sade.mix());
        }
        gradients.set(MIX, MixingBlocks.diagonalBlocks(gradMix, r, type));
        gradients.set(DOWN, gradDown);
        gradients.set(UP, MixingBlocks.array(dense ? gradUp : CommonOps_DDRM.transpose(gradUp, null), type));
    }

    /** {@code lambda·SADE} of this module (0 when lambda = 0 or p = 1). */
    @Override
    public double regularizationScore(AdapterParameters params) {
        if (pairWeight == 0) {
            return 0;
        }
        return Sade.value(downGram(downMatrix(params)), mixing(params), upGrams(upHeap(params)), config.rank(),
                pairWeight);
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

    /** {@code H = Dcatᵀ·Dcat [p·r, p·r]} on the heap, from {@link #downMatrix}'s layout. */
    private DMatrixRMaj downGram(INDArray down) {
        return MixingBlocks.heap(dense ? MatMul.transposedTimes(down, down) : MatMul.timesTransposed(down, down));
    }

    /** {@code Ucat [p·r, d_out]} on the heap (a convolution holds its transpose, {@code Up [C_out, p·r]}). */
    private DMatrixRMaj upHeap(AdapterParameters params) {
        DMatrixRMaj u = MixingBlocks.heap(params.get(UP));
        return dense ? u : CommonOps_DDRM.transpose(u, null);
    }

    /** {@code S = blockdiag(U_h·U_hᵀ) [p·r, p·r]} from {@code Ucat} on the heap. */
    private DMatrixRMaj upGrams(DMatrixRMaj up) {
        return BlockProducts.blockGrams(1, up, up, config.rank());
    }

    /** {@code B = blockdiag(Q) [p·r, p·r]} on the heap. */
    private static DMatrixRMaj mixing(AdapterParameters params) {
        return MixingBlocks.blockDiagonal(params.get(MIX));
    }

    private static String describe(ParameterGroup group) {
        return group.id() + " " + group.members();
    }
}
