package org.peft4j.bench.train;

import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.peft4j.ParameterReport;

/**
 * A {@link MultiLayerNetwork} or a single-input, single-output {@link ComputationGraph} classifier
 * seen through one interface: fit one pass, class probabilities, listeners, parameter counts.
 */
public final class ClassifierNetwork {

    private final Model model;

    private ClassifierNetwork(Model model) {
        this.model = model;
    }

    /** Wraps {@code model}; fails for other network types and multi-input or multi-output graphs. */
    public static ClassifierNetwork of(Model model) {
        Objects.requireNonNull(model, "model");
        if (model instanceof ComputationGraph graph) {
            if (graph.getNumInputArrays() != 1 || graph.getNumOutputArrays() != 1) {
                throw new IllegalArgumentException("a classifier graph needs one input and one output; this one has "
                        + graph.getNumInputArrays() + " inputs and " + graph.getNumOutputArrays() + " outputs");
            }
        } else if (!(model instanceof MultiLayerNetwork)) {
            throw new IllegalArgumentException("unsupported network type " + model.getClass().getName());
        }
        return new ClassifierNetwork(model);
    }

    /** The DL4J network. */
    public Model model() {
        return model;
    }

    /** Trains one pass over {@code batches} (DL4J's own {@code fit}, so epoch listeners run). */
    public void fit(DataSetIterator batches) {
        if (model instanceof MultiLayerNetwork net) {
            net.fit(batches);
        } else {
            ((ComputationGraph) model).fit(batches);
        }
    }

    /** Class probabilities {@code [N, classes]} for {@code features}, in inference mode. */
    public INDArray output(INDArray features) {
        if (model instanceof MultiLayerNetwork net) {
            return net.output(features, false);
        }
        return ((ComputationGraph) model).outputSingle(false, features);
    }

    /** Adds training listeners. */
    public void addListeners(TrainingListener... listeners) {
        model.addListeners(listeners);
    }

    /** The score (loss) of the last minibatch. */
    public double score() {
        return model.score();
    }

    /** Trainable, frozen and total parameters. */
    public ParameterReport parameters() {
        return ParameterReport.of(model);
    }
}
