package org.peft4j.tcurlora;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.layers.SharedGroup;

/**
 * One adapted layer's part in its tensor, at run time: reads the core {@code dU} (from the group's owner)
 * and the group's {@link CurFactors} (derived from all members' frozen weights), gives the layer its
 * kernel delta, and routes the layer's share of the core gradient to the owner through the
 * {@link SharedGroup}. Used by every tCURLoRA runtime.
 */
final class TcurMember {

    private final TcurLayer layer;
    private final TcurPlacement placement;
    private final int rank;
    private final Map<DataType, CachedDelta> deltas = new EnumMap<>(DataType.class);
    private SharedGroup group;

    TcurMember(TcurLayer layer) {
        this.layer = layer;
        this.placement = layer.getPlacement();
        this.rank = layer.getTcurlora().rank();
    }

    /** Joins the group once the runtime has its parameter views; returns {@code runtime}. */
    <L extends Layer> L join(L runtime, INDArray paramsView) {
        this.group = SharedGroup.join(placement.group(), layer.getLayerName(), runtime, paramsView);
        return runtime;
    }

    /** The core {@code dU [n3, r, r]} (a live view of the owner's parameter). */
    INDArray core() {
        return group().ownerParam(TcurLayer.CORE);
    }

    /** The group's frozen factors, selected from the members' current weights on first use. */
    CurFactors factors() {
        return group().derived(g -> {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                return CurFactors.select(slices(g), (int) placement.rows(), (int) placement.cols(), rank);
            }
        });
    }

    /** The tensor's frontal slices from every member's {@code W}, as doubles [n1·n2] each. */
    private static double[][] slices(SharedGroup g) {
        List<Layer> members = g.members();
        TcurPlacement first = ((TcurLayer) members.get(0).conf().getLayer()).getPlacement();
        double[][] slices = new double[first.n3()][];
        for (Layer member : members) {
            TcurLayer config = (TcurLayer) member.conf().getLayer();
            INDArray kernel = config.kernel3d(member.getParam(TcurLayer.WEIGHT)).castTo(DataType.DOUBLE);
            TcurPlacement p = config.getPlacement();
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

    /**
     * The update of this layer's kernel, {@code ΔK [n1, C_in, taps]}, a new array in the core's data type (or in
     * {@code type} when given): {@link TensorCur#sliceDelta} for each slice the layer covers. The last result per
     * data type is kept (outside any workspace) and copied while the factors and the core's values stay the same,
     * so inference with an unchanged core, and the backward pass after its forward pass, do not rebuild it.
     */
    INDArray kernelDelta(DataType type, long inChannels, long taps) {
        INDArray core = core();
        DataType target = type == null ? core.dataType() : type;
        CurFactors factors = factors();
        double[] values = core.dup('c').data().asDouble();
        CachedDelta cached = deltas.get(target);
        if (cached == null || cached.factors() != factors || !Arrays.equals(cached.core(), values)) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                cached = new CachedDelta(factors, values, computeDelta(core.castTo(target), factors, inChannels, taps));
            }
            deltas.put(target, cached);
        }
        return cached.delta().dup('c');
    }

    private INDArray computeDelta(INDArray core, CurFactors factors, long inChannels, long taps) {
        INDArray delta = Nd4j.createUninitialized(core.dataType(), new long[] {placement.rows(), inChannels, taps}, 'c');
        if (placement.taps()) {
            for (int t = 0; t < placement.n3(); t++) {
                delta.slice(t, 2).assign(TensorCur.sliceDelta(factors, core, t));
            }
        } else {
            delta.assign(TensorCur.sliceDelta(factors, core, placement.slice()).reshape('c', delta.shape()));
        }
        return delta;
    }

    /** A kernel update and what it was computed from. */
    private record CachedDelta(CurFactors factors, double[] core, INDArray delta) {
    }

    /**
     * The kernel {@code [r·n3, C_in·taps]} whose convolution with the layer input gives the right-hand factor of
     * this layer's core gradient: {@code Rst} in group mode ({@code Z = conv(x, Rst)}, block (a, b) of
     * {@code Cstᵀ·δ·Zᵀ} is {@code C_aᵀ·G_l·R_bᵀ}); the taps kernel {@link CurFactors#tapsKernel} in taps mode.
     * Do not modify.
     */
    INDArray contractionKernel(DataType type) {
        CurFactors factors = factors();
        INDArray kernel = placement.taps() ? factors.tapsKernel(type) : factors.rst(type);
        return kernel.reshape('c', kernel.size(0), kernel.length() / kernel.size(0));
    }

    /**
     * Hands a convolution's share of the core gradient to the group, given {@code δ = dL/dz} as
     * {@code [N, C_out, P]} and {@code Z = conv(x, contractionKernel)} as {@code [N, r·n3, P]}:
     * {@code S = Cstᵀ·Σ_n δ_n·Z_nᵀ}.
     */
    void contribute(INDArray delta, INDArray z, Map<String, INDArray> gradientViews) {
        DataType type = delta.dataType();
        INDArray t = Nd4j.zeros(type, delta.size(1), z.size(1));
        for (long n = 0; n < delta.size(0); n++) {
            Nd4j.gemm(delta.slice(n), z.slice(n), t, false, true, 1.0, 1.0);
        }
        contribute(factors().cst(type).transpose().mmul(t), gradientViews);
    }

    /**
     * Hands this layer's core gradient to the group, given {@code s = Cstᵀ·δ·Zᵀ} [r·n3, r·n3] summed over the
     * batch, with {@code Z} the input convolved with {@link #contractionKernel} (dense: {@code x·Rstᵀ}); folded
     * by {@link TensorCur#fold} in group mode and {@link TensorCur#foldTaps} in taps mode. A non-owner adds it
     * to the group's pending sum; the owner, which DL4J backpropagates after every other member, writes its
     * own plus the pending sum into its gradient view.
     */
    void contribute(INDArray s, Map<String, INDArray> gradientViews) {
        int n3 = placement.n3();
        double[] grad = new double[n3 * rank * rank];
        if (placement.taps()) {
            TensorCur.foldTaps(s, n3, rank, grad);
        } else {
            TensorCur.fold(s, placement.slice(), n3, rank, grad);
        }
        long[] shape = layer.coreShape();
        if (!layer.ownsCore()) {
            group().accumulate(TcurLayer.CORE, Nd4j.create(grad, shape, DataType.DOUBLE));
            return;
        }
        INDArray view = gradientViews.get(TcurLayer.CORE);
        INDArray sum = Nd4j.create(grad, shape, DataType.DOUBLE);
        INDArray pending = group().takeAccumulated(TcurLayer.CORE);
        if (pending != null) {
            sum.addi(pending);
        }
        view.assign(sum.castTo(view.dataType()));
    }

    /** After a merge: the owner zeroes the core; the factors are selected again from the merged weights. */
    void reset() {
        deltas.clear();
        if (layer.ownsCore()) {
            core().assign(0);
        }
        group().invalidate();
        group().clearAccumulated();
    }

    /** The group's selection as adapter-file state: members, slice shape, I and J. */
    Map<String, String> state() {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("group", placement.group().id());
        state.put("members", placement.group().members().toString());
        state.put("slices", placement.n3() + " x [" + placement.rows() + ", " + placement.cols() + "]"
                + (placement.taps() ? " (taps)" : ""));
        CurFactors factors = factors();
        state.put("columns", Arrays.toString(factors.columns()));
        state.put("rows", Arrays.toString(factors.rows()));
        return state;
    }

    /** {@code W: ΔW} in double, laid out as the layer's {@code W}. */
    Map<String, INDArray> baseDelta(INDArray w, long inChannels, long taps) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            Map<String, INDArray> delta = new HashMap<>();
            delta.put(TcurLayer.WEIGHT, layer.weights(kernelDelta(DataType.DOUBLE, inChannels, taps), w.shape()));
            return delta;
        }
    }

    private SharedGroup group() {
        if (group == null) {
            throw new IllegalStateException("tCURLoRA layer '" + layer.getLayerName() + "' was used before its runtime "
                    + "joined its group " + placement.group().id());
        }
        return group;
    }
}
