package org.peft4j.bench.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.peft4j.Seeds;

/**
 * A copy of a network whose configuration carries a run's seed (so layers initialised fresh from
 * it, such as a new head, differ between runs) and the optimiser's weight decay; parameters are
 * copied unchanged.
 */
final class Reseeded {

    private Reseeded() {
    }

    static Model copy(Model network, long seed, Optimiser optimiser) {
        if (network instanceof MultiLayerNetwork net) {
            MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
            conf.getConfs().forEach(c -> apply(c, seed, optimiser));
            MultiLayerNetwork copy = new MultiLayerNetwork(conf);
            copy.init(net.params().dup(), false);
            return copy;
        }
        ComputationGraph graph = (ComputationGraph) network;
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        conf.getDefaultConfiguration().setSeed(Seeds.nd4j(seed));
        for (GraphVertex vertex : conf.getVertices().values()) {
            if (vertex instanceof LayerVertex layer) {
                apply(layer.getLayerConf(), seed, optimiser);
            }
        }
        ComputationGraph copy = new ComputationGraph(conf);
        copy.init(graph.params().dup(), false);
        return copy;
    }

    private static void apply(NeuralNetConfiguration conf, long seed, Optimiser optimiser) {
        conf.setSeed(Seeds.nd4j(seed));
        if (optimiser.weightDecay() > 0 && conf.getLayer() instanceof BaseLayer layer) {
            layer.setRegularization(optimiser.regularization());
        }
    }
}
