package org.peft4j.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.peft4j.bench.metrics.ClassificationMetrics;
import org.peft4j.bench.model.Contender;
import org.peft4j.bench.run.RunMemory;
import org.peft4j.bench.run.RunResult;

/**
 * The markdown summary of a comparison: the side-by-side table of every method, and for
 * {@code octmnist-paper} the paper's Tables 2, 3 and 4 and the confusion matrices. Test metrics are
 * taken at each run's selected epoch and averaged over runs (mean ± sample sd); the best-test-epoch
 * accuracy, the paper's way of reporting, is shown in its own labelled column.
 */
public final class MarkdownSummary {

    /** What the two memory columns measure, printed under the table. */
    static final String MEMORY_NOTE = "Memory, measured per run: workspaces + updater is the capacity of the ND4J "
            + "workspaces after the run (released before each run) plus the optimiser state of the network, as the speed "
            + "benchmark reports them; RSS growth is how far the process's resident memory rose above its level at the "
            + "start of the run, so earlier methods' peaks are not carried over.\n";

    private MarkdownSummary() {
    }

    /** Runs grouped by method, in first-seen order. */
    static Map<String, List<RunResult>> byMethod(List<RunResult> results) {
        Map<String, List<RunResult>> grouped = new LinkedHashMap<>();
        results.forEach(r -> grouped.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r));
        return grouped;
    }

    /**
     * The whole summary.
     *
     * @param protocol  protocol name
     * @param settings  the experiment settings
     * @param backbone  backbone name, for Table 4's measured rows
     * @param results   every run
     * @param plotFiles plot file names relative to the summary
     */
    public static String render(String protocol, Map<String, String> settings, String backbone, List<RunResult> results,
            List<String> plotFiles) {
        StringBuilder out = new StringBuilder("# " + protocol + ": methods side by side\n\n");
        new TreeMap<>(settings).forEach((k, v) -> out.append("- ").append(k).append(": ").append(v).append('\n'));
        results.stream().filter(r -> r.provenance() != null).findFirst().ifPresent(r -> out.append(String.format(
                "- provenance: git %s, peft4j %s, DL4J %s, %s, %s, Java %s, %s%n", r.provenance().gitCommit(),
                r.provenance().peft4j(), r.provenance().dl4j(), r.provenance().backend(), r.provenance().cpu(),
                r.provenance().java(), r.provenance().os())));
        List<String> places = results.stream().filter(r -> r.provenance() != null && r.provenance().placement() != null)
                .map(r -> r.provenance().placement().describe()).distinct().toList();
        if (!places.isEmpty()) {
            out.append("- trained: ").append(String.join("; ", places)).append('\n');
        }
        out.append("\n## Methods side by side\n\n").append(comparisonTable(results)).append('\n');
        if (protocol.equals("octmnist-paper")) {
            out.append(table2(results)).append(table3(results)).append(table4(backbone, results)).append(confusions(results));
        }
        if (!plotFiles.isEmpty()) {
            out.append("## Plots\n\n");
            int seeds = ComparisonPlots.finished(results).values().stream().mapToInt(List::size).max().orElse(1);
            for (String p : plotFiles) {
                out.append("![").append(p).append("](").append(p).append(")\n");
                String caption = ComparisonPlots.caption(p, seeds);
                out.append(caption.isEmpty() ? "" : "\n" + caption + "\n\n");
            }
        }
        return out.toString();
    }

    /** One row per method: parameters, test accuracy (selected and best test epoch), macro AUC, time, memory. */
    public static String comparisonTable(List<RunResult> results) {
        StringBuilder out = new StringBuilder("| method | runs | trainable params | total params | after merge | "
                + "test acc (selected epoch) | test acc (best test epoch, optimistic) | macro AUC (selected) | "
                + "s/epoch | workspaces + updater MiB | RSS growth MiB |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, List<RunResult>> entry : byMethod(results).entrySet()) {
            notes.addAll(notDone(entry.getKey(), entry.getValue()));
            List<RunResult> done = entry.getValue().stream().filter(RunResult::done).toList();
            if (done.isEmpty()) {
                continue;
            }
            RunResult first = done.get(0);
            out.append(String.format("| %s | %d | %,d | %,d | %,d | %s | %s | %s | %s | %s | %s |%n", first.description(),
                    done.size(), first.trainable(), first.total(), first.totalAfterMerge(),
                    spread(done, r -> r.selected().accuracy()).meanSd(4),
                    spread(done, r -> r.bestTest().accuracy()).meanSd(4),
                    spread(done, r -> r.selected().macroAuc()).meanSd(4),
                    spread(done, RunResult::secondsPerEpoch).meanSd(1),
                    memory(done, RunMemory::trainingStateBytes), memory(done, RunMemory::rssGrowthBytes)));
        }
        String selection = results.stream().filter(RunResult::done).findFirst()
                .map(r -> "\nSelected epoch: " + r.selectedBy() + ". Best test epoch: the epoch with the highest test "
                        + "accuracy (how the paper reports; optimistic, it looks at the test set).\n\n" + MEMORY_NOTE).orElse("");
        return out + selection + (notes.isEmpty() ? "" : "\n" + String.join("\n", notes) + "\n");
    }

    /** Mean ± sd in MiB of one memory measure, or n/a for run files written before it was measured. */
    private static String memory(List<RunResult> runs, ToLongFunction<RunMemory> bytes) {
        if (runs.stream().anyMatch(r -> r.memory() == null)) {
            return "n/a";
        }
        return spread(runs, r -> bytes.applyAsLong(r.memory()) / 1048576.0).meanSd(1);
    }

    /** One line per diverged run, and one for a method whose runs were all skipped; these are in no average. */
    private static List<String> notDone(String method, List<RunResult> runs) {
        List<String> lines = new ArrayList<>();
        runs.stream().filter(RunResult::diverged).forEach(r -> lines.add("- " + method + " seed " + r.seed()
                + ": diverged, " + r.skipReason() + " (not in the averages)"));
        if (runs.stream().allMatch(r -> RunResult.SKIPPED.equals(r.status()))) {
            lines.add("- " + method + ": skipped, " + runs.get(0).skipReason());
        }
        return lines;
    }

    private static String table2(List<RunResult> results) {
        StringBuilder out = new StringBuilder("## Table 2: per class AUC, recall, precision and specificity "
                + "(test set, selected epoch, mean over runs)\n\n");
        for (Map.Entry<String, List<RunResult>> entry : byMethod(results).entrySet()) {
            List<RunResult> done = entry.getValue().stream().filter(RunResult::done).toList();
            if (done.isEmpty()) {
                continue;
            }
            List<String> classes = done.get(0).selected().classNames();
            out.append("### ").append(done.get(0).description()).append("\n\n| class | AUC | recall | precision | specificity |\n"
                    + "|---|---|---|---|---|\n");
            for (int c = 0; c < classes.size(); c++) {
                int k = c;
                out.append(String.format("| %s | %s | %s | %s | %s |%n", classes.get(c),
                        spread(done, r -> r.selected().auc()[k]).meanSd(4),
                        spread(done, r -> r.selected().recall()[k]).meanSd(4),
                        spread(done, r -> r.selected().precision()[k]).meanSd(4),
                        spread(done, r -> r.selected().specificity()[k]).meanSd(4)));
            }
            out.append(String.format("| **average** | %s | %s | %s | %s |%n%n",
                    spread(done, r -> r.selected().macroAuc()).meanSd(4),
                    spread(done, r -> mean(r.selected().recall())).meanSd(4),
                    spread(done, r -> mean(r.selected().precision())).meanSd(4),
                    spread(done, r -> mean(r.selected().specificity())).meanSd(4)));
        }
        return out.toString();
    }

    private static String table3(List<RunResult> results) {
        Map<String, List<RunResult>> grouped = byMethod(results);
        List<RunResult> transfer = done(grouped.get(Contender.HEAD_ONLY));
        StringBuilder out = new StringBuilder("## Table 3: head-only transfer against each adapter method, per class "
                + "(test set, selected epoch, mean over runs)\n\n");
        if (transfer.isEmpty()) {
            return out.append("head-only transfer was not run.\n\n").toString();
        }
        List<String> classes = transfer.get(0).selected().classNames();
        int compared = 0;
        for (Map.Entry<String, List<RunResult>> entry : grouped.entrySet()) {
            List<RunResult> other = done(entry.getValue());
            if (other.isEmpty() || entry.getKey().equals(Contender.HEAD_ONLY) || entry.getKey().equals(Contender.FULL)) {
                continue;
            }
            compared++;
            String name = other.get(0).method();
            out.append("### head-only vs ").append(other.get(0).description()).append("\n\n")
                    .append(String.format("| class | recall head-only | recall %1$s | precision head-only | precision %1$s "
                            + "| AUC head-only | AUC %1$s |%n|---|---|---|---|---|---|---|%n", name));
            for (int c = 0; c < classes.size(); c++) {
                int k = c;
                out.append(String.format("| %s | %s | %s | %s | %s | %s | %s |%n", classes.get(c),
                        spread(transfer, r -> r.selected().recall()[k]).meanSd(4),
                        spread(other, r -> r.selected().recall()[k]).meanSd(4),
                        spread(transfer, r -> r.selected().precision()[k]).meanSd(4),
                        spread(other, r -> r.selected().precision()[k]).meanSd(4),
                        spread(transfer, r -> r.selected().auc()[k]).meanSd(4),
                        spread(other, r -> r.selected().auc()[k]).meanSd(4)));
            }
            out.append('\n');
        }
        if (compared == 0) {
            out.append("No adapter method ran in this comparison (see the skipped methods above).\n\n");
        }
        return out.toString();
    }

    private static String table4(String backbone, List<RunResult> results) {
        StringBuilder out = new StringBuilder("## Table 4: OCTMNIST test results, published (cited) and measured here\n\n"
                + "| method | AUC | accuracy | trainable params | total params | source |\n|---|---|---|---|---|---|\n");
        for (LiteratureResults.Row row : LiteratureResults.OCTMNIST) {
            out.append(String.format("| %s | %.3f | %.3f | | | %s |%n", row.method(), row.auc(), row.accuracy(), row.source()));
        }
        for (List<RunResult> runs : byMethod(results).values()) {
            List<RunResult> done = done(runs);
            if (done.isEmpty()) {
                continue;
            }
            RunResult first = done.get(0);
            out.append(String.format("| %s %s | %s | %s | %,d | %,d | measured here, %d run(s), selected epoch |%n",
                    backbone, first.description(), spread(done, r -> r.selected().macroAuc()).meanSd(3),
                    spread(done, r -> r.selected().accuracy()).meanSd(3), first.trainable(), first.total(), done.size()));
        }
        return out.append('\n').toString();
    }

    private static String confusions(List<RunResult> results) {
        StringBuilder out = new StringBuilder("## Confusion matrices (test set, selected epoch, summed over runs; rows actual, "
                + "columns predicted)\n\n");
        for (List<RunResult> runs : byMethod(results).values()) {
            List<RunResult> done = done(runs);
            if (done.isEmpty()) {
                continue;
            }
            ClassificationMetrics m0 = done.get(0).selected();
            int n = m0.classNames().size();
            out.append("### ").append(done.get(0).description()).append("\n\n| actual \\ predicted | ")
                    .append(String.join(" | ", m0.classNames())).append(" |\n|---").append("|---".repeat(n)).append("|\n");
            for (int a = 0; a < n; a++) {
                out.append("| ").append(m0.classNames().get(a));
                for (int p = 0; p < n; p++) {
                    int row = a;
                    int col = p;
                    out.append(" | ").append(done.stream().mapToLong(r -> r.selected().confusion()[row][col]).sum());
                }
                out.append(" |\n");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static List<RunResult> done(List<RunResult> runs) {
        return runs == null ? List.of() : runs.stream().filter(RunResult::done).toList();
    }

    private static Spread spread(List<RunResult> runs, Function<RunResult, Double> value) {
        return Spread.of(runs.stream().mapToDouble(value::apply).toArray());
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }
}
