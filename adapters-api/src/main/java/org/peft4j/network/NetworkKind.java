package org.peft4j.network;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;

/**
 * What peft4j needs from a network type: its layers, a rebuild with some layer configurations
 * replaced, its updater and its outputs. Implemented for {@link MultiLayerNetwork} and
 * {@link ComputationGraph}.
 *
 * @param <N> the network type
 */
public interface NetworkKind<N extends Model> {

    /** Layers in network order. */
    List<LayerSlot> layers(N network);

    /** Names of the network's output layers. */
    List<String> outputLayers(N network);

    /**
     * A new, initialised network equal to {@code network} except for the replaced configurations,
     * with parameters taken from {@code params} where it gives them.
     *
     * @param replacements   new configuration per layer name (others are cloned unchanged)
     * @param params         parameter values; null entries keep fresh initialisation
     * @param resetCounters  true to start the new network at iteration 0 and epoch 0
     */
    N rebuild(N network, Map<String, Layer> replacements, ParamSource params, boolean resetCounters);

    /**
     * Names of the layers and vertices whose output reaches the input of {@code layer}, directly
     * or through others (MultiLayerNetwork: every earlier layer).
     */
    Set<String> upstream(N network, String layer);

    /**
     * The layer whose output {@code layer} takes directly and unchanged: a MultiLayerNetwork's previous
     * layer, or a graph layer's single input vertex when that vertex is a layer. Empty when {@code layer}
     * reads the network input, several vertices or a non-layer vertex, or has an input preprocessor.
     */
    Optional<String> directLayerInput(N network, String layer);

    /** Epochs completed, as DL4J counts them (at the end of each epoch) and saves them with the network. */
    int epochCount(N network);

    /** The network's updater, or null when it has none yet (never trained). */
    BaseMultiLayerUpdater<?> updater(N network);

    /** The kind of {@code network}. */
    @SuppressWarnings("unchecked")
    static <N extends Model> NetworkKind<N> of(N network) {
        if (network instanceof MultiLayerNetwork) {
            return (NetworkKind<N>) new MultiLayerKind();
        }
        if (network instanceof ComputationGraph) {
            return (NetworkKind<N>) new GraphKind();
        }
        throw new IllegalArgumentException("unsupported network type "
                + (network == null ? "null" : network.getClass().getName())
                + "; peft4j adapts MultiLayerNetwork and ComputationGraph");
    }
}
