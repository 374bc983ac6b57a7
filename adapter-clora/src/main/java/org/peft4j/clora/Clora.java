package org.peft4j.clora;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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

    @Override
    public INDArray weightDelta(AdapterParameters params) {
        DataType type = params.dataType();
        INDArray delta = down(params).castTo(type).mmul(MixingBlocks.blockDiagonal(params.get(MIX).castTo(type)))
                .mmul(up(params).castTo(type)).muli(config.scale());
        return dense ? delta : delta.transpose().dup('c').reshape('c', weight.shape());
    }

    @Override
    public void backward(AdapterParameters params, INDArray g, INDArray biasGradient, AdapterGradients gradients) {
        DataType type = g.dataType();
        double s = config.scale();
        INDArray rows = dense ? g : g.reshape('c', weight.outputs(), weight.fanIn()).transpose();
        INDArray mix = params.get(MIX).castTo(type);
        INDArray blocks = MixingBlocks.blockDiagonal(mix);
        INDArray d = down(params).castTo(type);
        INDArray u = up(params).castTo(type);
        INDArray z = rows.mmul(u.transpose()).muli(s);
        INDArray gradDown = z.mmul(blocks.transpose());
        INDArray gradMix = MixingBlocks.diagonalBlocks(d.transpose().mmul(z), config.pool(), config.rank());
        INDArray gradUp = d.mmul(blocks).transpose().mmul(rows).muli(s);
        if (pairWeight != 0) {
            Sade.Result sade = Sade.evaluate(d, mix, u, pairWeight * (gradients.miniBatch() ? gradients.batchSize() : 1));
            gradDown.addi(sade.down().castTo(type));
            gradMix.addi(sade.mix().castTo(type));
            gradUp.addi(sade.up().castTo(type));
        }
        gradients.set(MIX, gradMix);
        gradients.set(DOWN, dense ? gradDown : gradDown.transpose().dup('c'));
        gradients.set(UP, dense ? gradUp : gradUp.transpose().dup('c'));
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

    /** {@code Dcat [d_in, p·r]} (a view). */
    private INDArray down(AdapterParameters params) {
        INDArray d = params.get(DOWN);
        return dense ? d : d.reshape('c', config.width(), weight.fanIn()).transpose();
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
