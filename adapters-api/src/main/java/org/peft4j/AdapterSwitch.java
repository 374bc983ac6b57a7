package org.peft4j;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.network.LayerSlot;
import org.peft4j.network.NetworkKind;
import org.peft4j.spi.MergeableLayer;

/**
 * Whether a network's adapters contribute to its outputs: {@link State#ACTIVE}; {@link State#DISABLED} (the
 * base network alone); or {@link State#MERGED} ({@code W = W0 + ΔW} written into the frozen weights, reversibly).
 *
 * <p>Disabled and merged both set every adapter to its zero update ({@link MergeableLayer#resetAdapter}, e.g.
 * LoRA's {@code B = 0}), after keeping a copy of its values; merged also keeps a copy of the frozen
 * {@code W0}, {@code b0} it overwrites. Going back writes both copies back, so the frozen weights and the
 * adapter are bit-identical to what they were. While disabled or merged, {@code fit} is refused by a
 * {@link FitRefusal} listener; the optimiser state is not touched.
 */
final class AdapterSwitch<N extends Model> {

    enum State { ACTIVE, DISABLED, MERGED }

    private final N network;
    private final NetworkKind<N> kind;
    private State state = State.ACTIVE;
    private AdapterValues adapterCopy;
    private Map<String, Map<String, INDArray>> frozenCopy;
    private FitRefusal refusal;

    AdapterSwitch(N network, NetworkKind<N> kind) {
        this.network = network;
        this.kind = kind;
    }

    State state() {
        return state;
    }

    /** Refuses {@code action} unless the adapters are active (neither disabled nor merged). */
    void requireActive(String action) {
        if (state != State.ACTIVE) {
            throw new IllegalStateException(action + " needs active adapters, but they are " + describe());
        }
    }

    /** Refuses {@code action} while merged (the frozen weights then hold the adapter). */
    void requireUnmerged(String action) {
        if (state == State.MERGED) {
            requireActive(action);
        }
    }

    /** Disables the adapters; does nothing when they are disabled already. */
    void disable() {
        if (state == State.DISABLED) {
            return;
        }
        requireActive("disableAdapters");
        suspend(currentAdapter(), "adapters are disabled: call enableAdapters() first");
        state = State.DISABLED;
    }

    /** Enables the adapters again; does nothing when they are active. */
    void enable() {
        if (state == State.MERGED) {
            throw new IllegalStateException("enableAdapters: the adapters are " + describe());
        }
        if (state == State.DISABLED) {
            resume();
        }
    }

    /** Writes {@code W0 + ΔW} into the frozen weights and sets the adapters to zero, keeping copies of both. */
    void merge() {
        requireActive("merge");
        List<LayerSlot> slots = adapted();
        Map<String, Map<String, INDArray>> merged = AdapterMerger.mergedBase(slots);
        Map<String, Map<String, INDArray>> frozen = new LinkedHashMap<>();
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            for (LayerSlot slot : slots) {
                Map<String, INDArray> copies = new LinkedHashMap<>();
                merged.get(slot.name()).keySet().forEach(k -> copies.put(k, slot.runtime().paramTable().get(k).dup()));
                frozen.put(slot.name(), copies);
            }
        }
        AdapterValues adapter = currentAdapter();
        write(merged);
        frozenCopy = frozen;
        suspend(adapter, "adapters are merged: call unmerge() first");
        state = State.MERGED;
    }

    /** Writes the kept {@code W0} and adapter values back, bit for bit. */
    void unmerge() {
        if (state != State.MERGED) {
            throw new IllegalStateException("unmerge: the adapters are " + describe());
        }
        write(frozenCopy);
        frozenCopy = null;
        resetAdapters();
        resume();
    }

    private AdapterValues currentAdapter() {
        return AdapterValues.copyOf(AdapterTensors.of(kind.layers(network)).views());
    }

    private void suspend(AdapterValues adapter, String reason) {
        adapterCopy = adapter;
        resetAdapters();
        refusal = new FitRefusal(reason);
        network.addListeners(refusal);
    }

    private void resume() {
        adapterCopy.writeInto(AdapterTensors.of(kind.layers(network)).views());
        adapterCopy = null;
        Collection<TrainingListener> current = network instanceof MultiLayerNetwork mln ? mln.getListeners()
                : ((ComputationGraph) network).getListeners();
        List<TrainingListener> listeners = new ArrayList<>(current == null ? List.of() : current);
        listeners.remove(refusal);
        network.setListeners(listeners);
        refusal = null;
        state = State.ACTIVE;
    }

    private void resetAdapters() {
        adapted().forEach(s -> ((MergeableLayer) s.runtime()).resetAdapter());
    }

    private void write(Map<String, Map<String, INDArray>> values) {
        for (LayerSlot slot : adapted()) {
            Map<String, INDArray> params = slot.runtime().paramTable();
            values.get(slot.name()).forEach((key, value) -> params.get(key).assign(value));
        }
    }

    private List<LayerSlot> adapted() {
        return AdapterMerger.adaptedSlots(kind.layers(network));
    }

    private String describe() {
        return switch (state) {
            case ACTIVE -> "active";
            case DISABLED -> "disabled (call enableAdapters() first)";
            case MERGED -> "merged (call unmerge() first)";
        };
    }
}
