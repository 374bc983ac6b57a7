package org.peft4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The frozen parameters of a network: every parameter whose updater is {@link NoOp}, which is how peft4j's
 * adapted layers (and DL4J's frozen layers) freeze a weight. Parameter averaging would average them too, and the
 * mean of equal floats need not be that float; {@link #snapshot()} keeps exact copies that
 * {@link Snapshot#restore()} writes back after an averaging.
 */
final class FrozenParameters {

    private final List<INDArray> views;

    private FrozenParameters(List<INDArray> views) {
        this.views = views;
    }

    /** The frozen parameters of {@code network}, as views into its flat parameter array. */
    static FrozenParameters of(Model network) {
        Layer[] layers;
        if (network instanceof MultiLayerNetwork mln) {
            layers = mln.getLayers();
        } else if (network instanceof ComputationGraph graph) {
            layers = graph.getLayers();
        } else {
            throw new IllegalArgumentException("unsupported network type " + network.getClass().getName()
                    + "; Spark training takes a MultiLayerNetwork or a ComputationGraph");
        }
        List<INDArray> views = new ArrayList<>();
        for (Layer layer : layers) {
            org.deeplearning4j.nn.conf.layers.Layer config = layer.conf().getLayer();
            for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
                if (config.getUpdaterByParam(param.getKey()) instanceof NoOp) {
                    views.add(param.getValue());
                }
            }
        }
        return new FrozenParameters(views);
    }

    /** How many frozen values the network has. */
    long count() {
        return views.stream().mapToLong(INDArray::length).sum();
    }

    /** Exact copies of the frozen values now. */
    Snapshot snapshot() {
        List<INDArray> copies = new ArrayList<>(views.size());
        for (INDArray view : views) {
            copies.add(view.dup());
        }
        return new Snapshot(copies);
    }

    /** Copies of the frozen values taken by {@link #snapshot()}. */
    final class Snapshot {

        private final List<INDArray> copies;

        private Snapshot(List<INDArray> copies) {
            this.copies = copies;
        }

        /** Writes the copied values back into the network's frozen parameters, bit for bit. */
        void restore() {
            for (int i = 0; i < views.size(); i++) {
                views.get(i).assign(copies.get(i));
            }
        }
    }
}
