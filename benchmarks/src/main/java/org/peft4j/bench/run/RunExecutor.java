package org.peft4j.bench.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.peft4j.ParameterReport;
import org.peft4j.bench.data.LabeledImages;
import org.peft4j.bench.metrics.ClassificationMetrics;
import org.peft4j.bench.model.Contender;
import org.peft4j.bench.model.ContenderFactory;
import org.peft4j.bench.model.UnavailableContenderException;
import org.peft4j.bench.train.ClassifierNetwork;
import org.peft4j.bench.train.ImageBatches;
import org.peft4j.bench.train.InputSpec;
import org.peft4j.bench.train.Predictions;

/**
 * Trains one method with one seed: builds its network from the pretrained one, runs the epochs
 * (each a shuffled pass drawn from {@code seed * 1000 + epoch}), evaluates validation and test sets
 * after every epoch, and keeps the test metrics of the epoch chosen on validation (or the last epoch
 * without a validation set) and of the best test epoch.
 */
public final class RunExecutor {

    private static final int EVAL_BATCH = 64;

    private final ContenderFactory factory;

    public RunExecutor(ContenderFactory factory) {
        this.factory = factory;
    }

    /** Runs {@code contender} with {@code seed}; a method that cannot adapt the backbone gives a skipped result. */
    public RunResult run(Experiment experiment, Model pretrained, Contender contender, long seed, String digest,
            RunProgress progress) {
        Provenance provenance = Provenance.collect(experiment.protocol(), experiment.settings());
        ContenderFactory.Prepared prepared;
        try {
            prepared = factory.build(contender, pretrained, experiment.backbone(), experiment.classes(), seed,
                    experiment.optimiser());
        } catch (UnavailableContenderException e) {
            progress.note("skipped " + contender.name() + ": " + e.getMessage());
            return RunResult.skipped(contender.name(), contender.describe(), seed, e.getMessage(), digest, provenance);
        }
        ClassifierNetwork network = prepared.network();
        ParameterReport parameters = network.parameters();
        InputSpec input = experiment.backbone().input();
        IterationMonitor monitor = new IterationMonitor(progress);
        network.addListeners(monitor);
        int batches = ImageBatches.inOrder(experiment.train(), input, experiment.batchSize()).batches();
        String label = contender.name() + " seed " + seed;
        progress.runStarted(label, (long) batches * experiment.epochs());

        List<EpochRecord> epochs = new ArrayList<>();
        ClassificationMetrics selected = null;
        ClassificationMetrics bestTest = null;
        int selectedEpoch = 0;
        int bestTestEpoch = 0;
        EpochRecord selectedRecord = null;
        for (int epoch = 1; epoch <= experiment.epochs(); epoch++) {
            monitor.startEpoch();
            long start = System.nanoTime();
            network.fit(ImageBatches.shuffled(experiment.train(), input, experiment.batchSize(), seed * 1000 + epoch,
                    experiment.augmentation()));
            double seconds = (System.nanoTime() - start) / 1e9;
            Optional<Predictions> val = experiment.validation().map(v -> evaluate(network, v, input));
            Predictions test = evaluate(network, experiment.test(), input);
            EpochRecord record = new EpochRecord(epoch, monitor.meanScore(), val.map(Predictions::loss).orElse(null),
                    val.map(v -> v.metrics().accuracy()).orElse(null), val.map(v -> v.metrics().macroAuc()).orElse(null),
                    test.loss(), test.metrics().accuracy(), test.metrics().macroAuc(), seconds);
            epochs.add(record);
            if (selectedRecord == null || val.isEmpty() || better(record, selectedRecord)) {
                selectedRecord = record;
                selected = test.metrics();
                selectedEpoch = epoch;
            }
            if (bestTest == null || record.testAccuracy() > bestTest.accuracy()) {
                bestTest = test.metrics();
                bestTestEpoch = epoch;
            }
            progress.epochFinished(String.format("%s epoch %d/%d loss %.3f%s test acc %.3f", label, epoch,
                    experiment.epochs(), record.trainLoss(),
                    val.map(v -> String.format(" val acc %.3f", v.metrics().accuracy())).orElse(""),
                    record.testAccuracy()));
        }
        double[] times = epochs.stream().mapToDouble(EpochRecord::seconds).sorted().toArray();
        double median = times.length % 2 == 1 ? times[times.length / 2]
                : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
        RunResult result = new RunResult(contender.name(), contender.describe(), seed, RunResult.DONE, "",
                prepared.config(), prepared.adapted(), parameters.trainable(), parameters.total(),
                parameters.totalAfterMerge(), prepared.merge().map(m -> m.merges()).orElse(0), epochs, selectedEpoch,
                experiment.validation().isPresent() ? "best validation accuracy" : "last epoch", thin(selected),
                bestTestEpoch, thin(bestTest), median, monitor.peakRss(), digest, provenance);
        progress.runFinished(String.format("%s: test acc %.4f (epoch %d), AUC %.4f, %.1f s/epoch", label,
                selected.accuracy(), selectedEpoch, selected.macroAuc(), median));
        return result;
    }

    /** Higher validation accuracy, then lower validation loss; the earlier epoch wins ties. */
    private static boolean better(EpochRecord candidate, EpochRecord incumbent) {
        int byAccuracy = Double.compare(candidate.valAccuracy(), incumbent.valAccuracy());
        return byAccuracy > 0 || (byAccuracy == 0 && candidate.valLoss() < incumbent.valLoss());
    }

    private static Predictions evaluate(ClassifierNetwork network, LabeledImages images, InputSpec input) {
        return Predictions.of(network, images, input, EVAL_BATCH);
    }

    /** The metrics with ROC curves of at most 201 points each (the AUC stays the exact one). */
    private static ClassificationMetrics thin(ClassificationMetrics metrics) {
        return new ClassificationMetrics(metrics.classNames(), metrics.confusion(), metrics.accuracy(), metrics.recall(),
                metrics.precision(), metrics.specificity(), metrics.roc().stream().map(r -> r.thinned(201)).toList());
    }

    /** Mean minibatch score per epoch, progress steps and the resident-memory peak. */
    private static final class IterationMonitor extends BaseTrainingListener {
        private final RunProgress progress;
        private double scoreSum;
        private int scores;
        private long peakRss;

        IterationMonitor(RunProgress progress) {
            this.progress = progress;
        }

        void startEpoch() {
            scoreSum = 0;
            scores = 0;
        }

        double meanScore() {
            return scores == 0 ? Double.NaN : scoreSum / scores;
        }

        long peakRss() {
            return peakRss;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            scoreSum += model.score();
            scores++;
            peakRss = Math.max(peakRss, Pointer.physicalBytes());
            progress.step();
        }
    }
}
