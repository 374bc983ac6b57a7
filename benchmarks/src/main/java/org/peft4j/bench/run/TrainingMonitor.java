package org.peft4j.bench.run;

import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Watches one run's training: the mean minibatch score per epoch, progress steps, the resident-memory
 * peak, and divergence. The first minibatch whose score is NaN or infinite ends the epoch at once with a
 * {@link DivergedException}, so a diverged run costs no further training time; after an epoch, NaN or
 * infinite weights or predictions count as divergence too.
 */
final class TrainingMonitor extends BaseTrainingListener {

    /** Thrown out of {@code fit} when the training loss stops being finite. */
    static final class DivergedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DivergedException(Divergence divergence) {
            super(divergence.describe(), null, false, false);
        }
    }

    private final RunProgress progress;
    private int epoch;
    private double scoreSum;
    private int scores;
    private long peakRss;
    private Divergence divergence;

    TrainingMonitor(RunProgress progress, long rssAtStart) {
        this.progress = progress;
        this.peakRss = rssAtStart;
    }

    /** Starts counting epoch {@code number} (1-based). */
    void startEpoch(int number) {
        epoch = number;
        scoreSum = 0;
        scores = 0;
    }

    /** Mean minibatch score of the current epoch. */
    double meanScore() {
        return scores == 0 ? Double.NaN : scoreSum / scores;
    }

    /** Largest resident memory seen since the run started. */
    long peakRss() {
        return peakRss;
    }

    /** Where the loss stopped being finite, if it did. */
    Optional<Divergence> divergence() {
        return Optional.ofNullable(divergence);
    }

    /**
     * Checks the weights after an epoch: an update can make them NaN or infinite after the epoch's last
     * loss was still finite.
     */
    Optional<Divergence> checkWeights(Model model) {
        if (divergence == null && !Double.isFinite(model.params().sumNumber().doubleValue())) {
            divergence = new Divergence(epoch, scores, "the weights became NaN or infinite");
        }
        return divergence();
    }

    /** Checks the class probabilities of an evaluation after an epoch: NaN outputs mean the network diverged. */
    Optional<Divergence> checkOutputs(List<INDArray> validation, INDArray test) {
        boolean finite = Double.isFinite(test.sumNumber().doubleValue())
                && validation.stream().allMatch(v -> Double.isFinite(v.sumNumber().doubleValue()));
        if (divergence == null && !finite) {
            divergence = new Divergence(epoch, scores, "the network's predictions became NaN");
        }
        return divergence();
    }

    @Override
    public void iterationDone(Model model, int iteration, int dl4jEpoch) {
        double score = model.score();
        scores++;
        peakRss = Math.max(peakRss, Pointer.physicalBytes());
        progress.step();
        if (!Double.isFinite(score)) {
            divergence = new Divergence(epoch, scores, "training loss became " + score);
            throw new DivergedException(divergence);
        }
        scoreSum += score;
    }
}
