package org.peft4j.bench.spark;

import org.peft4j.bench.run.RunResult;

/** The driver's one-line reports of runs that came back from Spark. */
final class RunLines {

    private RunLines() {
    }

    /**
     * e.g. {@code lora-conv seed 1: test acc 0.8120 (epoch 3), AUC 0.9712, 4.1 s/epoch (spark local[2], executor
     * driver on host)}.
     */
    static String finished(RunResult run) {
        String label = run.method() + " seed " + run.seed();
        String where = run.provenance() == null || run.provenance().placement() == null ? ""
                : " (" + run.provenance().placement().describe() + ")";
        if (run.done()) {
            return String.format("%s: test acc %.4f (epoch %d), AUC %.4f, %.1f s/epoch%s", label,
                    run.selected().accuracy(), run.selectedEpoch(), run.selected().macroAuc(), run.secondsPerEpoch(), where);
        }
        return label + ": " + run.status() + ", " + run.skipReason() + where;
    }

    /** The first line of a failure's message (Spark puts the task's exception there), or its class. */
    static String firstLine(Throwable failure) {
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            return failure.getClass().getName();
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
