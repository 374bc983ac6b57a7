package org.peft4j.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peft4j.bench.run.Experiment;
import org.peft4j.bench.run.ResultsFolder;
import org.peft4j.bench.run.RunResult;

/** Writes {@code epochs.csv}, the plots and {@code summary.md} of a finished comparison into its results folder. */
public final class ReportWriter {

    private ReportWriter() {
    }

    /**
     * What was written.
     *
     * @param summary   the summary file
     * @param plots     the plot files
     * @param plotError why plots could not be drawn (empty when they were)
     */
    public record Written(Path summary, List<Path> plots, String plotError) {
    }

    public static Written write(ResultsFolder folder, Experiment experiment, List<RunResult> results) throws IOException {
        folder.writeText("epochs.csv", EpochsCsv.render(results));
        List<Path> plots = new ArrayList<>();
        String plotError = "";
        try {
            plots.addAll(ComparisonPlots.write(folder.plots(), results));
            for (Map.Entry<String, List<RunResult>> method : MarkdownSummary.byMethod(results).entrySet()) {
                plots.addAll(Plots.write(folder.plots(), method.getKey(), method.getValue()));
            }
        } catch (RuntimeException | Error e) {
            // a JVM without fonts or graphics libraries cannot draw; the tables are still worth writing
            plotError = "plots could not be drawn: " + e;
        }
        List<String> relative = plots.stream().map(p -> folder.root().relativize(p).toString()).toList();
        String summary = MarkdownSummary.render(experiment.protocol(), experiment.settings(), experiment.backbone().name(),
                results, relative) + (plotError.isEmpty() ? "" : "\n" + plotError + "\n");
        return new Written(folder.writeText("summary.md", summary), plots, plotError);
    }
}
