package org.peft4j.bench.model;

import java.util.List;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/**
 * The optimiser of every trainable parameter: Adam (the paper: Keras defaults, lr 1e-3) or AdamW
 * (the official code: lr 1e-4, weight decay 1e-5), i.e. Adam plus DL4J's decoupled
 * {@link WeightDecay} on the weights (scaled by the learning rate, as in AdamW).
 *
 * @param kind         {@code adam} or {@code adamw}
 * @param learningRate positive
 * @param weightDecay  AdamW's decay coefficient, at least 0; must be 0 for {@code adam}
 */
public record Optimiser(String kind, double learningRate, double weightDecay) {

    public Optimiser {
        if (!kind.equals("adam") && !kind.equals("adamw")) {
            throw new IllegalArgumentException("optimiser must be adam or adamw, got '" + kind + "'");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        if (!(weightDecay >= 0) || (kind.equals("adam") && weightDecay != 0)) {
            throw new IllegalArgumentException("weight decay must be >= 0, and 0 for adam (use adamw); got " + weightDecay);
        }
    }

    /** Adam with the given learning rate. */
    public static Optimiser adam(double learningRate) {
        return new Optimiser("adam", learningRate, 0);
    }

    /** A fresh updater. */
    public IUpdater updater() {
        return new Adam(learningRate);
    }

    /** Regularisation of the weights (not biases): AdamW's decoupled decay, or none. */
    public List<Regularization> regularization() {
        return weightDecay > 0 ? List.of(new WeightDecay(weightDecay, true)) : List.of();
    }

    @Override
    public String toString() {
        return kind + "(lr=" + learningRate + (weightDecay > 0 ? ", wd=" + weightDecay : "") + ")";
    }
}
