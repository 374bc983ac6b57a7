package org.peft4j.bench.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
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
 * without a validation set) and of the best test epoch. A run whose loss becomes NaN or infinite stops
 * at once and gives a {@code diverged} result instead of an exception.
 */
public final class RunExecutor {

    private static final int EVAL_BATCH = 64;

    private final ContenderFactory factory;
    private final Placement placement;

    /** Runs in this process ({@link Placement#local()}). */
    public RunExecutor(ContenderFactory factory) {
        this(factory, Placement.local());
    }

    /** Runs recorded as trained at {@code placement} (e.g. a Spark executor). */
    public RunExecutor(ContenderFactory factory, Placement placement) {
        this.factory = factory;
        this.placement = placement;
    }

    /**
     * Checks before any run that {@code contender} can run on {@code pretrained} (targets, settings, the method's
     * plan of every target); a method that cannot adapt the backbone passes, its runs are recorded as skipped.
     *
     * @throws IllegalArgumentException naming the method and the bad option
     */
    public void check(Experiment experiment, Model pretrained, Contender contender) {
        try {
            factory.check(contender, pretrained, experiment.backbone());
        } catch (UnavailableContenderException e) {
            // recorded as a skipped run when its turn comes
        }
    }

    /** Runs {@code contender} with {@code seed}; a method that cannot adapt the backbone gives a skipped result. */
    public RunResult run(Experiment experiment, Model pretrained, Contender contender, long seed, String digest,
            RunProgress progress) {
        return run(experiment, pretrained, contender, seed, digest, progress, trainedNetwork -> { });
    }

    /**
     * As {@link #run(Experiment, Model, Contender, long, String, RunProgress)}, handing the trained network (as after
     * its last epoch) to {@code trained} when the run is done; a skipped or diverged run hands nothing.
     */
    public RunResult run(Experiment experiment, Model pretrained, Contender contender, long seed, String digest,
            RunProgress progress, Consumer<Model> trained) {
        Provenance provenance = Provenance.collect(experiment.protocol(), experiment.settings(), placement);
        long rssAtStart = RunMemory.startRun();
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
        TrainingMonitor monitor = new TrainingMonitor(progress, rssAtStart);
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
            monitor.startEpoch(epoch);
            long start = System.nanoTime();
            Optional<Divergence> diverged = fitEpoch(network, experiment, input, seed * 1000 + epoch, monitor);
            double seconds = (System.nanoTime() - start) / 1e9;
            Optional<INDArray> valOutputs = experiment.validation().map(v -> outputs(network, v, input));
            INDArray testOutputs = outputs(network, experiment.test(), input);
            diverged = diverged.or(() -> monitor.checkOutputs(valOutputs.map(List::of).orElse(List.of()), testOutputs));
            if (diverged.isPresent()) {
                progress.runFinished(label + ": diverged");
                return RunResult.diverged(contender.name(), contender.describe(), seed, diverged.get(), epochs,
                        parameters.trainable(), parameters.total(), digest, provenance);
            }
            Optional<Predictions> val = experiment.validation().map(v -> Predictions.of(valOutputs.get(), v));
            Predictions test = Predictions.of(testOutputs, experiment.test());
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
                bestTestEpoch, thin(bestTest), median,
                RunMemory.after(rssAtStart, monitor.peakRss(), network.model()), digest, provenance, null);
        trained.accept(network.model());
        progress.runFinished(String.format("%s: test acc %.4f (epoch %d), AUC %.4f, %.1f s/epoch", label,
                selected.accuracy(), selectedEpoch, selected.macroAuc(), median));
        return result;
    }

    /**
     * One shuffled pass; the divergence when the loss stopped being finite during it. A failure inside
     * DL4J after the loss went NaN or infinite counts as that divergence; any other failure propagates.
     */
    private static Optional<Divergence> fitEpoch(ClassifierNetwork network, Experiment experiment, InputSpec input,
            long shuffleSeed, TrainingMonitor monitor) {
        try {
            network.fit(ImageBatches.shuffled(experiment.train(), input, experiment.batchSize(), shuffleSeed,
                    experiment.augmentation()));
        } catch (RuntimeException e) {
            if (monitor.divergence().isEmpty()) {
                throw e;
            }
            return monitor.divergence();
        }
        return monitor.checkWeights(network.model());
    }

    /** Higher validation accuracy, then lower validation loss; the earlier epoch wins ties. */
    private static boolean better(EpochRecord candidate, EpochRecord incumbent) {
        int byAccuracy = Double.compare(candidate.valAccuracy(), incumbent.valAccuracy());
        return byAccuracy > 0 || (byAccuracy == 0 && candidate.valLoss() < incumbent.valLoss());
    }

    private static INDArray outputs(ClassifierNetwork network, LabeledImages images, InputSpec input) {
        return Predictions.probabilities(network, images, input, EVAL_BATCH);
    }

    /** The metrics with ROC curves of at most 201 points each (the AUC stays the exact one). */
    private static ClassificationMetrics thin(ClassificationMetrics metrics) {
        return new ClassificationMetrics(metrics.classNames(), metrics.confusion(), metrics.accuracy(), metrics.recall(),
                metrics.precision(), metrics.specificity(), metrics.roc().stream().map(r -> r.thinned(201)).toList());
    }
}
