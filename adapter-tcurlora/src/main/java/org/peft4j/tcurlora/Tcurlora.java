package org.peft4j.tcurlora;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.spi.AdapterGradients;
import org.peft4j.spi.AdapterParameter;
import org.peft4j.spi.AdapterParameters;
import org.peft4j.spi.GroupMember;
import org.peft4j.spi.LayerAdapter;
import org.peft4j.spi.WeightShape;

/**
 * tCURLoRA's maths on one adapted layer, a part of a third-order tensor {@code W [n1, n2, n3]} whose trainable core
 * {@code dU [n3, r, r]} its group shares ({@link TcurPlacement}):
 * <ul>
 *   <li>group mode: the layer is slice {@code l}, its weight as a matrix {@code [n1, n2]} (a convolution
 *       {@code [C_out, C_in·taps]}, a dense layer {@code W0ᵀ});</li>
 *   <li>taps mode: the layer holds all slices, one per kernel tap t, {@code K[:, :, t] [C_out, C_in]}.</li>
 * </ul>
 * The frozen factors {@link CurFactors} are selected from the members' frozen weights when first needed and again
 * after every merge; {@link TensorCur} gives the slices' updates and the core gradient from their gradients
 * {@code G_l = dL/dW_l} (the layer's kernel gradient as slice l, or as all its taps), a few matrix products per
 * layer and pass.
 *
 * {@code dU} is a difference from its start value ({@code U − U0}), zero at start and after merges, never
 * regularised. The layer's adapter-file state names its group and the selected rows and columns.
 */
final class Tcurlora implements LayerAdapter {

    static final String CORE = "dU";

    private final WeightShape weight;
    private final TcurPlacement placement;
    private final int rank;

    Tcurlora(WeightShape weight, TcurloraConfig config, TcurPlacement placement) {
        this.weight = weight;
        this.placement = placement;
        this.rank = config.rank();
    }

    @Override
    public List<AdapterParameter> parameters() {
        return List.of(new AdapterParameter(CORE, new long[] {placement.n3(), rank, rank}, false, false));
    }

    @Override
    public void initialise(AdapterParameters params) {
        if (params.holds(CORE)) {
            params.get(CORE).assign(0);
        }
    }

    @Override
    public INDArray weightDelta(AdapterParameters params) {
        CurFactors factors = factors(params);
        INDArray core = params.get(CORE).castTo(params.dataType());
        if (placement.taps()) {
            // [ΔW_0 … ΔW_(taps−1)] [C_out, taps·C_in] -> the kernel [C_out, C_in, taps]
            return TensorCur.delta(factors, core).reshape('c', weight.outputs(), placement.n3(), weight.inputs())
                    .permute(0, 2, 1).dup('c').reshape('c', weight.shape());
        }
        INDArray slice = TensorCur.sliceDelta(factors, core, placement.slice());
        return weight.kind() == WeightShape.Kind.DENSE ? slice.transpose().dup('c') : slice.reshape('c', weight.shape());
    }

    @Override
    public void backward(AdapterParameters params, INDArray g, INDArray biasGradient, AdapterGradients gradients) {
        CurFactors factors = factors(params);
        if (placement.taps()) {
            // the kernel gradient [C_out, C_in, taps] -> [G_0 … G_(taps−1)] [C_out, taps·C_in]
            INDArray slices = g.reshape('c', weight.outputs(), weight.inputs(), placement.n3()).permute(0, 2, 1).dup('c')
                    .reshape('c', weight.outputs(), placement.n3() * weight.inputs());
            gradients.set(CORE, TensorCur.gradient(factors, slices));
        } else {
            INDArray slice = weight.kind() == WeightShape.Kind.DENSE ? g.transpose()
                    : g.reshape('c', weight.outputs(), weight.fanIn());
            gradients.set(CORE, TensorCur.sliceGradient(factors, slice, placement.slice()));
        }
    }

    /** The group's selection as adapter-file state: members, slice shape, I and J. */
    @Override
    public Map<String, String> state(AdapterParameters params) {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("group", placement.group().id());
        state.put("members", placement.group().members().toString());
        state.put("slices", placement.n3() + " x [" + placement.rows() + ", " + placement.cols() + "]"
                + (placement.taps() ? " (taps)" : ""));
        CurFactors factors = factors(params);
        state.put("columns", Arrays.toString(factors.columns()));
        state.put("rows", Arrays.toString(factors.rows()));
        return state;
    }

    /** The group's frozen factors, selected from the members' current weights on first use. */
    private CurFactors factors(AdapterParameters params) {
        return params.derived(CORE, members -> CurFactors.select(slices(members), (int) placement.rows(),
                (int) placement.cols(), rank));
    }

    /** The tensor's frontal slices from every member's frozen weight, as doubles [n1·n2] each, c order. */
    private double[][] slices(List<GroupMember> members) {
        double[][] slices = new double[placement.n3()][];
        for (GroupMember member : members) {
            WeightShape shape = member.weight();
            INDArray w = member.frozenWeight().castTo(DataType.DOUBLE);
            INDArray kernel = shape.kind() == WeightShape.Kind.DENSE
                    ? w.transpose().dup('c').reshape('c', shape.outputs(), shape.inputs(), 1)
                    : w.reshape('c', shape.outputs(), shape.inputs(), shape.taps());
            TcurPlacement p = TcurPlacement.of(member.plan());
            if (p.taps()) {
                for (int t = 0; t < p.n3(); t++) {
                    slices[t] = kernel.slice(t, 2).dup('c').data().asDouble();
                }
            } else {
                slices[p.slice()] = kernel.dup('c').data().asDouble();
            }
        }
        return slices;
    }
}
