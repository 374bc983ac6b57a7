package org.peft4j.bench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.peft4j.AdapterRegistry;
import org.peft4j.bench.model.ContenderFactory;
import org.peft4j.bench.protocol.Protocol;
import org.peft4j.bench.protocol.ProtocolOptions;
import org.peft4j.bench.report.MarkdownSummary;
import org.peft4j.bench.report.ReportWriter;
import org.peft4j.bench.run.Comparison;
import org.peft4j.bench.run.Experiment;
import org.peft4j.bench.run.LocalRuns;
import org.peft4j.bench.run.ResultsFolder;
import org.peft4j.bench.run.RunDispatcher;
import org.peft4j.bench.run.RunExecutor;
import org.peft4j.bench.run.RunResult;
import org.peft4j.bench.run.SparkRuns;

/** Prepares a protocol, runs the comparison into its results folder, writes the reports and prints the table. */
final class ComparisonJob {

    private ComparisonJob() {
    }

    /**
     * Runs it in this process, or with {@code sparkMaster} each pending run trains as a Spark task of that master and comes back to
     * the results folder here. Returns the results folder.
     */
    static Path run(Protocol protocol, ProtocolOptions options, Path resultsDir, Path out, boolean bars,
            Optional<String> sparkMaster, PrintStream stdout, PrintStream stderr) throws IOException {
        AdapterRegistry registry = AdapterRegistry.fromClasspath();
        RunExecutor executor = new RunExecutor(new ContenderFactory(registry));
        try (RunDispatcher dispatcher = sparkMaster.isPresent() ? SparkRuns.open(sparkMaster.get())
                : new LocalRuns(executor)) {
            ProgressDisplay progress = new ProgressDisplay(stderr, bars);
            Experiment experiment = protocol.prepare(options, registry, progress);
            ResultsFolder folder = out != null ? ResultsFolder.at(out) : ResultsFolder.create(resultsDir, protocol.name());
            stderr.println("results folder: " + folder.root().toAbsolutePath());
            stderr.println("methods: " + experiment.contenders().stream().map(c -> c.describe()).toList()
                    + "; seeds " + experiment.seeds() + "; " + experiment.epochs() + " epochs; train " + experiment.train());
            List<RunResult> results = new Comparison(executor, dispatcher).run(experiment, folder, progress);
            report(folder, experiment, results, stdout);
            return folder.root();
        }
    }

    private static void report(ResultsFolder folder, Experiment experiment, List<RunResult> results, PrintStream stdout)
            throws IOException {
        ReportWriter.Written written = ReportWriter.write(folder, experiment, results);
        stdout.println();
        stdout.println(MarkdownSummary.comparisonTable(results));
        stdout.println("summary: " + written.summary().toAbsolutePath());
        stdout.println("per-epoch CSV: " + folder.root().resolve("epochs.csv").toAbsolutePath());
        stdout.println(written.plotError().isEmpty() ? "plots: " + folder.root().resolve("plots").toAbsolutePath()
                : written.plotError());
    }
}
