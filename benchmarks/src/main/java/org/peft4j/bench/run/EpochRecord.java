package org.peft4j.bench.run;

/**
 * One epoch of one run, evaluated after the epoch (after the merge, for merging methods).
 *
 * @param epoch         1-based
 * @param trainLoss     mean minibatch score during the epoch (includes regularisation)
 * @param valLoss       mean cross-entropy on the validation set, null without one
 * @param valAccuracy   validation accuracy, null without a validation set
 * @param valAuc        validation macro one-vs-rest AUC, null without a validation set
 * @param testLoss      mean cross-entropy on the test set
 * @param testAccuracy  test accuracy
 * @param testAuc       test macro one-vs-rest AUC
 * @param seconds       wall time of the training pass (evaluation excluded)
 */
public record EpochRecord(int epoch, double trainLoss, Double valLoss, Double valAccuracy, Double valAuc,
        double testLoss, double testAccuracy, double testAuc, double seconds) {
}
