package org.peft4j.network;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;

/** {@link NetworkKind} for {@link ComputationGraph}. */
final class GraphKind implements NetworkKind<ComputationGraph> {

    @Override
    public List<LayerSlot> layers(ComputationGraph network) {
        if (network.getVertices() == null || network.getLayers() == null) {
            throw new IllegalStateException("the ComputationGraph is not initialised: call graph.init() "
                    + "(or restore it with ModelSerializer) before adapting it");
        }
        List<LayerSlot> slots = new ArrayList<>();
        int index = 0;
        for (int vertex : network.topologicalSortOrder()) {
            org.deeplearning4j.nn.graph.vertex.GraphVertex v = network.getVertices()[vertex];
            if (v.hasLayer()) {
                // the configuration, not runtime.conf(): a frozen wrapper's runtime reports its inner layer
                LayerVertex config = (LayerVertex) network.getConfiguration().getVertices().get(v.getVertexName());
                slots.add(new LayerSlot(v.getVertexName(), index++, config.getLayerConf().getLayer(), v.getLayer()));
            }
        }
        return UniqueLayerNames.require(slots);
    }

    @Override
    public List<String> outputLayers(ComputationGraph network) {
        return List.copyOf(network.getConfiguration().getNetworkOutputs());
    }

    @Override
    public ComputationGraph rebuild(ComputationGraph network, Map<String, Layer> replacements,
            ParamSource params, boolean resetCounters) {
        ComputationGraphConfiguration conf = network.getConfiguration().clone();
        for (Map.Entry<String, GraphVertex> entry : conf.getVertices().entrySet()) {
            if (entry.getValue() instanceof LayerVertex vertex) {
                Layer replacement = replacements.get(entry.getKey());
                if (replacement != null) {
                    vertex.getLayerConf().setLayer(replacement);
                }
                vertex.getLayerConf().clearVariables();
            }
        }
        if (resetCounters) {
            conf.setIterationCount(0);
            conf.setEpochCount(0);
        }
        ComputationGraph rebuilt = new ComputationGraph(conf);
        rebuilt.init();
        for (org.deeplearning4j.nn.api.Layer layer : rebuilt.getLayers()) {
            ParamCopy.into(layer.conf().getLayer().getLayerName(), layer.paramTable(), params);
        }
        return rebuilt;
    }

    @Override
    public Set<String> upstream(ComputationGraph network, String layer) {
        Map<String, List<String>> inputs = network.getConfiguration().getVertexInputs();
        if (!network.getConfiguration().getVertices().containsKey(layer)) {
            throw new IllegalArgumentException("the graph has no vertex '" + layer + "'");
        }
        Set<String> seen = new HashSet<>();
        Deque<String> open = new ArrayDeque<>(inputs.getOrDefault(layer, List.of()));
        while (!open.isEmpty()) {
            String vertex = open.pop();
            if (seen.add(vertex)) {
                open.addAll(inputs.getOrDefault(vertex, List.of()));
            }
        }
        return seen;
    }

    @Override
    public Optional<String> directLayerInput(ComputationGraph network, String layer) {
        ComputationGraphConfiguration conf = network.getConfiguration();
        if (!(conf.getVertices().get(layer) instanceof LayerVertex vertex)) {
            throw new IllegalArgumentException("the graph has no layer '" + layer + "'");
        }
        List<String> inputs = conf.getVertexInputs().getOrDefault(layer, List.of());
        if (inputs.size() != 1 || vertex.getPreProcessor() != null
                || !(conf.getVertices().get(inputs.get(0)) instanceof LayerVertex)) {
            return Optional.empty();
        }
        return Optional.of(inputs.get(0));
    }

    @Override
    public int epochCount(ComputationGraph network) {
        return network.getConfiguration().getEpochCount();
    }

    @Override
    public BaseMultiLayerUpdater<?> updater(ComputationGraph network) {
        return network.getUpdater(false);
    }
}
