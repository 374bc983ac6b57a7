package org.peft4j.layers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.spi.AdapterGradients;
import org.peft4j.spi.AdapterParameter;
import org.peft4j.spi.AdapterParameters;
import org.peft4j.spi.GroupMember;
import org.peft4j.spi.LayerAdapter;
import org.peft4j.spi.LayerPlan;
import org.peft4j.spi.ParameterGroup;

/**
 * An adapter bound to the parameters of one runtime layer: resolves its keys to this layer's views or to the
 * owner's views of a shared parameter ({@link SharedGroup}), routes gradients (own keys into this layer's
 * gradient views, shared ones into the group's sum), and gives {@link LayerAdapter} its
 * {@link AdapterParameters} and {@link AdapterGradients}.
 */
final class AdapterBinding {

    private final LayerAdapter adapter;
    private final LayerPlan plan;
    private final String layerName;
    private final Map<String, SharedGroup> groups = new HashMap<>();
    private Map<String, INDArray> params = Map.of();
    private Map<String, INDArray> gradientViews = Map.of();

    AdapterBinding(LayerAdapter adapter, LayerPlan plan, String layerName) {
        this.adapter = adapter;
        this.plan = plan;
        this.layerName = layerName;
    }

    LayerAdapter adapter() {
        return adapter;
    }

    /** Binds the layer's parameter views (all keys) and joins the groups of its shared parameters. */
    void bind(Map<String, INDArray> params, org.deeplearning4j.nn.api.Layer runtime, INDArray paramsView) {
        this.params = params;
        groups.clear();
        for (Map.Entry<String, ParameterGroup> shared : plan.shared().entrySet()) {
            groups.put(shared.getKey(), SharedGroup.join(shared.getValue(), layerName, runtime, paramsView));
        }
    }

    void bindGradients(Map<String, INDArray> gradientViews) {
        this.gradientViews = gradientViews;
    }

    /** The adapter keys this layer holds, in layout order. */
    List<String> heldKeys() {
        List<String> keys = new ArrayList<>();
        for (AdapterParameter p : adapter.parameters()) {
            if (plan.holds(layerName, p.key())) {
                keys.add(p.key());
            }
        }
        return keys;
    }

    /** The parameters in the network's data type. */
    AdapterParameters parameters() {
        return new Bound(null);
    }

    /** The parameters cast to {@code type} (new arrays), for an exact merge delta. */
    AdapterParameters parameters(DataType type) {
        return new Bound(type);
    }

    /** Gradients of a backward pass over {@code batch} examples. */
    AdapterGradients gradients(long batch, boolean miniBatch) {
        return new Sink(batch, miniBatch);
    }

    /** Draws the held parameters' starting values (init and after a merge) and forgets group state. */
    void initialise() {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            adapter.initialise(parameters());
        }
        for (SharedGroup group : groups.values()) {
            group.invalidate();
            group.clearAccumulated();
        }
    }

    /** Forgets state derived from frozen weights, e.g. after they changed. */
    void invalidate() {
        groups.values().forEach(SharedGroup::invalidate);
    }

    private SharedGroup group(String key) {
        SharedGroup group = groups.get(key);
        if (group == null) {
            throw new IllegalStateException("layer '" + layerName + "': parameter '" + key + "' is not shared, or the "
                    + "layer was used before it joined its groups " + plan.shared().keySet());
        }
        return group;
    }

    /** {@link AdapterParameters} over this layer's views. */
    private final class Bound implements AdapterParameters {

        private final DataType cast;

        Bound(DataType cast) {
            this.cast = cast;
        }

        @Override
        public INDArray get(String key) {
            INDArray value = plan.holds(layerName, key) ? params.get(key) : group(key).ownerParam(key);
            if (value == null) {
                throw new IllegalStateException("layer '" + layerName + "' has no adapter parameter '" + key + "'");
            }
            return cast == null ? value : value.castTo(cast);
        }

        @Override
        public boolean holds(String key) {
            return plan.holds(layerName, key);
        }

        @Override
        public DataType dataType() {
            if (cast != null) {
                return cast;
            }
            return params.values().iterator().next().dataType();
        }

        @Override
        public String layerName() {
            return layerName;
        }

        @Override
        public <T> T derived(String key, Function<List<GroupMember>, T> compute) {
            return group(key).derived(g -> {
                List<GroupMember> members = new ArrayList<>();
                g.members().forEach(m -> members.add((GroupMember) m));
                try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    return compute.apply(members);
                }
            });
        }
    }

    /** {@link AdapterGradients} into this layer's views and its groups' sums. */
    private final class Sink implements AdapterGradients {

        private final long batch;
        private final boolean miniBatch;

        Sink(long batch, boolean miniBatch) {
            this.batch = batch;
            this.miniBatch = miniBatch;
        }

        @Override
        public void set(String key, INDArray gradient) {
            SharedGroup group = groups.get(key);
            if (group != null && !plan.holds(layerName, key)) {
                group.accumulate(key, gradient);
                return;
            }
            INDArray view = gradientViews.get(key);
            if (view == null) {
                throw new IllegalStateException("layer '" + layerName + "' has no gradient view for '" + key + "'");
            }
            INDArray pending = group == null ? null : group.takeAccumulated(key);
            if (pending == null) {
                view.assign(gradient.reshape(view.shape()));
            } else {
                view.assign(pending.reshape(view.shape()).castTo(view.dataType()).addi(gradient.reshape(view.shape())
                        .castTo(view.dataType())));
            }
        }

        @Override
        public long batchSize() {
            return batch;
        }

        @Override
        public boolean miniBatch() {
            return miniBatch;
        }
    }

    /** Views of the held keys in {@code all} (a table of every key of the layer), in layout order. */
    Map<String, INDArray> held(Map<String, INDArray> all) {
        Map<String, INDArray> held = new LinkedHashMap<>();
        heldKeys().forEach(k -> held.put(k, all.get(k)));
        return held;
    }
}
