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
        md.append(String.format(Locale.ROOT, "%s; %s, %d CPUs; natives %s (%s), DL4J's oneDNN helpers %s; %d ND4J "
                + "threads, %s; native memory %s, JavaCPP resident-size check %s, OpenMP wait policy %s, "
                + "OpenBLAS thread timeout %s; Java %s; %s %s; load average %.2f -> %.2f%n%n", p.timestamp(),
                p.cpuModel(), p.cpus(), p.natives(), p.nativesChoice(), p.dl4jHelpers() ? "on" : "off", p.nd4jThreads(),
                p.nd4jBackend(), p.allocator(), p.javacppPhysicalCheck(), p.openmpWaitPolicy(), p.openblasThreadTimeout(), p.java(), p.os(), p.arch(), p.loadAverageStart(), p.loadAverageEnd()));
        md.append(String.format(Locale.ROOT, "%d warm-ups%s, %d timed iterations per method (round-robin), seed %d%s%s; "
                + "configs %s%n%n", s.warmups(), s.untilJitSettles() ? " at least, then until the JIT compiler settled" : "",
                s.iterations(), s.seed(), s.channelsLast() ? ", networks channels-last (NHWC, NDHWC)" : "",
                s.meetsProtocol() ? "" : " (NOT the protocol: fewer rounds or channels-last)", s.configs()));
        md.append("Ratios are to full fine-tuning (training) or to the base network (inference), measured in the "
                + "same run: the median over rounds of the ratio within a round. Absolute times are context only "
                + "(shared, noisy machine); the `full` row's inference ratio (the same architecture as the base) "
                + "shows the noise. `backprop-floor`: an adapter on the lowest target alone; the backward pass runs "
                + "through every other target for its input gradient only, so a method adapting every target pays at "
                + "least this step.\n\n");
        for (SpeedReport.NetworkResult n : report.networks()) {
            md.append(String.format(Locale.ROOT, "## %s (batch %d, base inference %.1f ms)%n%n", n.network(), n.batch(),
                    n.baseInference().medianMs()));
            md.append("Warm-up: training ").append(warmUp(n.trainingWarmUp())).append("; inference ")
                    .append(warmUp(n.inferenceWarmUp())).append(".\n\n");
            md.append("| method | trainable | total | after merge | step ms | step / full | inference / base "
                    + "| merged / base | adapted / merged | merged max rel. err | workspaces MB | updater MB "
                    + "| page faults / step |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (SpeedReport.MethodResult m : n.methods()) {
                md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %.1f | %s | %.3f | %s | %s | %s | %.1f | %.1f | %s |%n",
                        m.method(), m.trainableParams(), m.totalParams(), m.paramsAfterMerge(), m.trainStep().medianMs(),
                        ratio(m.trainStepRatio()), m.inferenceRatio(), ratio(m.mergedInferenceRatio()),
                        ratio(m.adaptedToMerged()),
                        m.mergedMaxRelativeError() == null ? "-" : String.format(Locale.ROOT, "%.1e", m.mergedMaxRelativeError()),
                        m.memory().workspaceBytes() / 1e6, m.memory().updaterStateBytes() / 1e6,
                        m.memory().pageFaultsPerStep() < 0 ? "-" : String.format(Locale.ROOT, "%,d",
                                m.memory().pageFaultsPerStep())));
            }
            for (SpeedReport.Skipped skipped : n.skipped()) {
                md.append(String.format("%nSkipped %s: %s%n", skipped.method(), skipped.reason()));
            }
            md.append('\n');
        }
        if (report.pytorch() != null) {
            md.append(pytorchTable(report));
        }
        md.append("## Goals of the speed protocol\n\nfloor: `backprop-floor`'s ratio in this run, where measured; no method "
                + "adapting every target trains faster than it on this stack.\n\n"
                + "| network | method | ratio | goal | measured | met | floor |\n|---|---|---|---:|---:|---|---:|\n");
        for (SpeedReport.Goal g : report.goals()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | <= %.2f | %.3f | %s | %s |%n", g.network(), g.method(),
                    g.what(), g.target(), g.measured(), g.met() ? "yes" : "NO", ratio(g.floor())));
        }
        return md.toString();
    }

    /** peft4j's and PyTorch's medians side by side, both measured on this machine. */
    private static String pytorchTable(SpeedReport report) {
        PytorchReference pt = report.pytorch();
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "## peft4j and PyTorch on this machine%n%n"
                + "PyTorch %s on %s, %s (%s), native memory %s, OpenMP wait policy %s, layout %s; peft4j's figures from "
                + "this run, layout %s. Median ms per training "
                + "step, and per inference batch.%n%n%s| network | method | PyTorch ms | peft4j ms | peft4j / PyTorch |%n"
                + "|---|---|---:|---:|---:|%n", pt.torch(), pt.cpu(), pt.time(), pt.file(), pt.allocator(), pt.openmpWaitPolicy(),
                pt.channelsLast() ? "channels_last" : "channels first (PyTorch's default)",
                report.settings().channelsLast() ? "channels-last (NHWC, NDHWC)" : "channels first (DL4J's default)",
                sameAllocator(report) ? "" : "**Not comparable: PyTorch ran under another native memory setting than "
                + "peft4j (" + report.provenance().allocator() + ").**\n\n"));
        for (SpeedReport.NetworkResult n : report.networks()) {
            for (SpeedReport.MethodResult m : n.methods()) {
                pt.train(n.network(), m.method()).ifPresent(ms -> md.append(String.format(Locale.ROOT,
                        "| %s | %s | %.1f | %.1f | %.2f |%n", n.network(), m.method(), ms, m.trainStep().medianMs(),
                        m.trainStep().medianMs() / ms)));
            }
            pt.train(n.network(), "colora-fused").ifPresent(ms -> md.append(String.format(Locale.ROOT,
                    "| %s | colora (PyTorch's fused form) | %.1f | | |%n", n.network(), ms)));
            pt.infer(n.network(), "base").ifPresent(ms -> md.append(String.format(Locale.ROOT,
                    "| %s | inference, base network | %.1f | %.1f | %.2f |%n", n.network(), ms,
                    n.baseInference().medianMs(), n.baseInference().medianMs() / ms)));
        }
        return md.append('\n').toString();
    }

    private static String warmUp(SpeedReport.WarmUpResult w) {
        String jit = switch (w.jit()) {
            case SETTLED -> "the JIT compiler settled";
            case NOT_SETTLED -> "the JIT compiler NOT settled (time limit)";
            case NOT_WATCHED -> "the JIT compiler not watched";
        };
        String timed = w.jitMillisTimed() < 0 ? "" : String.format(Locale.ROOT, ", %d ms of JIT compilation while timed",
                w.jitMillisTimed());
        return w.rounds() + " rounds, " + jit + timed;
    }

    private static String ratio(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }

    /** True when PyTorch ran under the same C allocator setting as peft4j (files without the field count as not). */
    static boolean sameAllocator(SpeedReport report) {
        return report.pytorch().allocator().equals(report.provenance().allocator());
    }
}
