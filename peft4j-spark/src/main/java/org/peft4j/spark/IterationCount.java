package org.peft4j.spark;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** The iteration count of a network, which DL4J keeps in its configuration (updaters and schedules read it). */
final class IterationCount {

    private final MultiLayerConfiguration multiLayer;
    private final ComputationGraphConfiguration graph;

    private IterationCount(MultiLayerConfiguration multiLayer, ComputationGraphConfiguration graph) {
        this.multiLayer = multiLayer;
        this.graph = graph;
    }

    static IterationCount of(Model network) {
        if (network instanceof MultiLayerNetwork mln) {
            return new IterationCount(mln.getLayerWiseConfigurations(), null);
        }
        if (network instanceof ComputationGraph cg) {
            return new IterationCount(null, cg.getConfiguration());
        }
        throw new IllegalArgumentException("unsupported network type " + network.getClass().getName()
                + "; Spark training takes a MultiLayerNetwork or a ComputationGraph");
    }

    long get() {
        return multiLayer != null ? multiLayer.getIterationCount() : graph.getIterationCount();
    }

    void set(long count) {
        int value = Math.toIntExact(count);
        if (multiLayer != null) {
            multiLayer.setIterationCount(value);
        } else {
            graph.setIterationCount(value);
        }
    }
}
