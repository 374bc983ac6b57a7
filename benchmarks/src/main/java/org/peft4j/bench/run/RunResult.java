package org.peft4j.bench.run;

import java.util.List;
import org.peft4j.bench.metrics.ClassificationMetrics;

/**
 * The outcome of one method with one seed, written as one JSON file.
 *
 * @param method          the method name
 * @param description     the method with its options, e.g. {@code colora (merge every epoch)}
 * @param seed            the run's seed (initialisation of new layers, shuffling, augmentation)
 * @param status          {@code done}, {@code skipped} or {@code diverged}
 * @param skipReason      why the method could not run (skipped) or why training stopped (diverged)
 * @param adapterConfig   the adapter hyper-parameters as JSON (adapters only)
 * @param adaptedLayers   the adapted layers (adapters only)
 * @param trainable       trainable parameters
 * @param total           all parameters during training
 * @param totalAfterMerge parameters of the deployed network (adapters merged)
 * @param merges          merges made during training
 * @param epochs          per-epoch record (for a diverged run: the epochs finished before it diverged)
 * @param selectedEpoch   the epoch chosen by {@link #selectedBy} (1-based)
 * @param selectedBy      {@code best validation accuracy} or {@code last epoch}
 * @param selected        test metrics at the selected epoch
 * @param bestTestEpoch   the epoch of best test accuracy (the paper's figure; optimistic, labelled so)
 * @param bestTest        test metrics at that epoch
 * @param secondsPerEpoch median training seconds per epoch
 * @param memory          the run's own memory: workspaces, optimiser state and resident growth (null in
 *                        run files written before it was measured)
 * @param digest          fingerprint of the experiment settings and method; a resumed comparison reuses this
 *                        file only when it matches
 * @param provenance      where and how it ran
 * @param divergence      where the training loss stopped being finite (diverged runs only, else null)
 */
public record RunResult(String method, String description, long seed, String status, String skipReason,
        String adapterConfig, List<String> adaptedLayers, long trainable, long total, long totalAfterMerge, int merges,
        List<EpochRecord> epochs, int selectedEpoch, String selectedBy, ClassificationMetrics selected,
        int bestTestEpoch, ClassificationMetrics bestTest, double secondsPerEpoch, RunMemory memory, String digest,
        Provenance provenance, Divergence divergence) {

    public static final String DONE = "done";
    public static final String SKIPPED = "skipped";
    public static final String DIVERGED = "diverged";

    public RunResult {
        adaptedLayers = adaptedLayers == null ? List.of() : List.copyOf(adaptedLayers);
        epochs = epochs == null ? List.of() : List.copyOf(epochs);
    }

    /** A method that could not run. */
    public static RunResult skipped(String method, String description, long seed, String reason, String digest,
            Provenance provenance) {
        return new RunResult(method, description, seed, SKIPPED, reason, "", List.of(), 0, 0, 0, 0, List.of(), 0, "",
                null, 0, null, 0, null, digest, provenance, null);
    }

    /** A run whose training loss stopped being finite; {@code finished} holds the epochs completed before. */
    public static RunResult diverged(String method, String description, long seed, Divergence divergence,
            List<EpochRecord> finished, long trainable, long total, String digest, Provenance provenance) {
        return new RunResult(method, description, seed, DIVERGED, divergence.describe(), "", List.of(), trainable,
                total, 0, 0, finished, 0, "", null, 0, null, 0, null, digest, provenance, divergence);
    }

    /** True when training stopped because the loss stopped being finite. */
    public boolean diverged() {
        return DIVERGED.equals(status);
    }

    /** True when it trained. */
    public boolean done() {
        return DONE.equals(status);
    }
}
