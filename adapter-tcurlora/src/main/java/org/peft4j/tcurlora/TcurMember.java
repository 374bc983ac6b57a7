package org.peft4j.tcurlora;

import java.util.Arrays;
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
     * The update of this layer's kernel, {@code ΔK [n1, C_in, taps]}, in the core's data type (or in
     * {@code type} when given): {@link TensorCur#sliceDelta} for each slice the layer covers.
     */
    INDArray kernelDelta(DataType type, long inChannels, long taps) {
        INDArray core = type == null ? core() : core().castTo(type);
        CurFactors factors = factors();
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

    /**
     * Hands this layer's core gradient to the group: {@code s[i]} is {@code S_l} of the layer's i-th slice
     * ({@link TcurPlacement#slices()}). A non-owner adds it to the group's pending sum; the owner, which
     * DL4J backpropagates after every other member, writes its own plus the pending sum into its gradient view.
     */
    void contribute(INDArray[] s, Map<String, INDArray> gradientViews) {
        int n3 = placement.n3();
        double[] grad = new double[n3 * rank * rank];
        int[] slices = placement.slices();
        for (int i = 0; i < slices.length; i++) {
            TensorCur.fold(s[i], slices[i], n3, rank, grad);
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
