package org.peft4j.layers;

import com.google.common.collect.MapMaker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.spi.ParameterGroup;

/**
 * The run-time side of a {@link ParameterGroup}: how the runtime layers of one network that share
 * trainable tensors reach the owner's parameters and hand it their gradient contributions.
 *
 * <p><b>Finding each other.</b> DL4J gives every layer a view of ONE flat parameter array per network
 * ({@code MultiLayerNetwork.init}, {@code ComputationGraph.init}; also after {@code clone()}, JSON and
 * {@code ModelSerializer} restores, which build a new array). Every member calls {@link #join} from its
 * configuration's {@code instantiate}, after its parameter views are set; members of the same network
 * and group id meet in one {@code SharedGroup}, keyed by the root buffer of that flat array (by
 * identity, held weakly, so a discarded network leaves nothing behind). Order of joining does not
 * matter: the owner's parameters are looked up when first used.
 *
 * <p><b>Forward.</b> Members read the shared tensors with {@link #ownerParam(String)}: live views of
 * the owner's parameters, so updates, {@code setParams} and gradient-check perturbations are seen at once.
 *
 * <p><b>Backward.</b> DL4J assigns (never accumulates) each layer's gradient views, and backpropagates
 * layers in reverse network order (MultiLayerNetwork: last to first; ComputationGraph: reverse
 * topological order, checked in DL4J 1.0.0-M2.1), so the owner, first in network order, runs after every
 * other member. Members {@link #accumulate} their contributions; the owner adds its own to
 * {@link #takeAccumulated} and writes the sum into its gradient view. DL4J skips the backward pass only
 * of its own {@code FrozenLayer} and input vertices; an owner has trainable parameters, so its
 * backward pass always runs.
 *
 * <p><b>Derived state.</b> A group may keep state computed from its members' frozen weights
 * ({@link #derived}), e.g. tCURLoRA's selected rows and columns; {@link #invalidate()} after a merge
 * makes the next use recompute it from the merged weights.
 */
public final class SharedGroup {

    private static final ConcurrentMap<DataBuffer, Table> TABLES = new MapMaker().weakKeys().weakValues().makeMap();

    private final ParameterGroup group;
    private final Table table;
    private final Map<String, Layer> members = new HashMap<>();
    private final Map<String, INDArray> accumulated = new HashMap<>();
    private Object derived;

    private SharedGroup(ParameterGroup group, Table table) {
        this.group = group;
        this.table = table;
    }

    /** The groups of one network; runtimes reach it through their groups, which keeps it alive. */
    private static final class Table {
        private final Map<String, SharedGroup> groups = new HashMap<>();
    }

    /**
     * Registers runtime layer {@code runtime} as member {@code name} of {@code group} in the network
     * whose flat parameter array {@code paramsView} is a view of.
     *
     * @param paramsView the layer's parameter view as DL4J passed it to {@code instantiate} (not null: a
     *                   member has at least its frozen weights)
     * @return the group, shared by every member of the same network
     */
    public static SharedGroup join(ParameterGroup group, String name, Layer runtime, INDArray paramsView) {
        if (paramsView == null) {
            throw new IllegalArgumentException("layer '" + name + "' of parameter group '" + group.id()
                    + "' has no parameter view; a group member needs parameters");
        }
        group.indexOf(name);
        DataBuffer root = root(paramsView.data());
        Table table = TABLES.computeIfAbsent(root, k -> new Table());
        synchronized (table) {
            SharedGroup shared = table.groups.computeIfAbsent(group.id(), id -> new SharedGroup(group, table));
            if (!shared.group.equals(group)) {
                throw new IllegalStateException("layers '" + shared.group.owner() + "' and '" + name
                        + "' disagree on parameter group '" + group.id() + "': " + shared.group.members() + " vs "
                        + group.members());
            }
            synchronized (shared) {
                shared.members.put(name, runtime);
                shared.derived = null;
            }
            return shared;
        }
    }

    private static DataBuffer root(DataBuffer buffer) {
        DataBuffer original = buffer.originalDataBuffer();
        return original == null ? buffer : original;
    }

    /** The group's configuration. */
    public ParameterGroup group() {
        return group;
    }

    /** The owner's parameter {@code key} (a live view). */
    public INDArray ownerParam(String key) {
        INDArray param = member(group.owner()).getParam(key);
        if (param == null) {
            throw new IllegalStateException("owner '" + group.owner() + "' of parameter group '" + group.id()
                    + "' has no parameter '" + key + "'");
        }
        return param;
    }

    /** The runtime of member {@code name}. */
    public synchronized Layer member(String name) {
        Layer layer = members.get(name);
        if (layer == null) {
            throw new IllegalStateException("layer '" + name + "' of parameter group '" + group.id() + "' "
                    + group.members() + " is not part of this network (members present: " + members.keySet() + ")");
        }
        return layer;
    }

    /** The member runtimes in group order (owner first). */
    public List<Layer> members() {
        List<Layer> list = new ArrayList<>();
        group.members().forEach(name -> list.add(member(name)));
        return list;
    }

    /** Adds a member's gradient contribution for shared parameter {@code key}. */
    public synchronized void accumulate(String key, INDArray contribution) {
        INDArray sum = accumulated.get(key);
        if (sum == null) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                accumulated.put(key, contribution.dup('c'));
            }
        } else {
            sum.addi(contribution.reshape(sum.shape()));
        }
    }

    /** The sum of the contributions since the last call (null when there were none), and forgets it. */
    public synchronized INDArray takeAccumulated(String key) {
        return accumulated.remove(key);
    }

    /** Forgets every pending contribution (e.g. when a new forward pass starts without the last backward). */
    public synchronized void clearAccumulated() {
        accumulated.clear();
    }

    /**
     * State derived from the members' frozen weights, computed by {@code compute} on first use and kept
     * until {@link #invalidate()}.
     */
    @SuppressWarnings("unchecked")
    public synchronized <T> T derived(Function<SharedGroup, T> compute) {
        if (derived == null) {
            derived = compute.apply(this);
        }
        return (T) derived;
    }

    /** Drops the derived state (after the members' weights changed, e.g. by a merge). */
    public synchronized void invalidate() {
        derived = null;
    }

    @Override
    public String toString() {
        return "SharedGroup{" + group.id() + " " + group.members() + ", table " + System.identityHashCode(table) + "}";
    }
}
