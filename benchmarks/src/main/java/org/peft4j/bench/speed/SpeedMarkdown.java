package org.peft4j.bench.speed;

import java.util.Locale;

/** Renders a {@link SpeedReport} as markdown: provenance, one table per network, the goals. */
public final class SpeedMarkdown {

    private SpeedMarkdown() {
    }

    public static String of(SpeedReport report) {
        StringBuilder md = new StringBuilder("# speed\n\n");
        SpeedReport.Provenance p = report.provenance();
        SpeedReport.Settings s = report.settings();
        md.append(String.format(Locale.ROOT, "%s; Java %s; %s %s; %d CPUs, %d ND4J threads, %s; load average %.2f -> %.2f%n%n",
                p.timestamp(), p.java(), p.os(), p.arch(), p.cpus(), p.nd4jThreads(), p.nd4jBackend(),
                p.loadAverageStart(), p.loadAverageEnd()));
        md.append(String.format(Locale.ROOT, "%d warm-ups, %d timed iterations per method (round-robin), seed %d%s; configs %s%n%n",
                s.warmups(), s.iterations(), s.seed(), s.meetsProtocol() ? "" : " (SHORTER than the protocol)",
                s.configs()));
        md.append("Ratios are to full fine-tuning (training) or to the base network (inference), measured in the "
                + "same run: the median over rounds of the ratio within a round. Absolute times are context only "
                + "(shared, noisy machine); the `full` row's inference ratio (the same architecture as the base) "
                + "shows the noise.\n\n");
        for (SpeedReport.NetworkResult n : report.networks()) {
            md.append(String.format(Locale.ROOT, "## %s (batch %d, base inference %.1f ms)%n%n", n.network(), n.batch(),
                    n.baseInference().medianMs()));
            md.append("| method | trainable | total | after merge | step ms | step / full | inference / base "
                    + "| merged / base | merged max rel. err | workspaces MB | updater MB |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (SpeedReport.MethodResult m : n.methods()) {
                md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %.1f | %s | %.3f | %s | %s | %.1f | %.1f |%n",
                        m.method(), m.trainableParams(), m.totalParams(), m.paramsAfterMerge(), m.trainStep().medianMs(),
                        ratio(m.trainStepRatio()), m.inferenceRatio(), ratio(m.mergedInferenceRatio()),
                        m.mergedMaxRelativeError() == null ? "-" : String.format(Locale.ROOT, "%.1e", m.mergedMaxRelativeError()),
                        m.memory().workspaceBytes() / 1e6, m.memory().updaterStateBytes() / 1e6));
            }
            for (SpeedReport.Skipped skipped : n.skipped()) {
                md.append(String.format("%nSkipped %s: %s%n", skipped.method(), skipped.reason()));
            }
            md.append('\n');
        }
        md.append("## Goals (issue #3)\n\n| network | method | ratio | goal | measured | met |\n|---|---|---|---:|---:|---|\n");
        for (SpeedReport.Goal g : report.goals()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | <= %.2f | %.3f | %s |%n", g.network(), g.method(),
                    g.what(), g.target(), g.measured(), g.met() ? "yes" : "NO"));
        }
        return md.toString();
    }

    private static String ratio(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }
}
