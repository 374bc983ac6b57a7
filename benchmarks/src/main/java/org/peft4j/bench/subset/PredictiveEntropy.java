package org.peft4j.bench.subset;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.bench.data.LabeledImages;
import org.peft4j.bench.train.ClassifierNetwork;
import org.peft4j.bench.train.InputSpec;
import org.peft4j.bench.train.Predictions;

/**
 * Predictive entropy {@code H_i = -sum_c p_ic ln p_ic} (nats) of a model's class probabilities,
 * the ranking behind the paper's distilled training set.
 */
public final class PredictiveEntropy {

    private PredictiveEntropy() {
    }

    /** Entropy of each row of {@code probabilities} {@code [N, classes]}; 0·ln 0 counts as 0. */
    public static double[] of(INDArray probabilities) {
        if (probabilities.rank() != 2) {
            throw new IllegalArgumentException("probabilities must be [N, classes], got rank " + probabilities.rank());
        }
        double[][] rows = probabilities.toDoubleMatrix();
        double[] entropy = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double h = 0;
            for (double p : rows[i]) {
                if (p > 0) {
                    h -= p * Math.log(p);
                }
            }
            entropy[i] = h;
        }
        return entropy;
    }

    /** Entropy of {@code network}'s predictions for every image of {@code images}, in order. */
    public static double[] of(ClassifierNetwork network, LabeledImages images, InputSpec input, int batchSize) {
        return of(Predictions.probabilities(network, images, input, batchSize));
    }
}
