package org.peft4j.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.bench.metrics.ClassificationMetrics;
import org.peft4j.bench.run.EpochRecord;
import org.peft4j.bench.run.RunMemory;
import org.peft4j.bench.run.RunResult;

/** The figures with every method, drawn from a small fixed set of results: two methods with two seeds, one with one. */
class ComparisonPlotsTest {

    @TempDir
    Path temp;

    private static final ClassificationMetrics METRICS = ClassificationMetrics.of(new int[] {0, 1, 1},
            Nd4j.create(new double[][] {{0.9, 0.1}, {0.4, 0.6}, {0.7, 0.3}}), List.of("a", "b"));
    private static final ClassificationMetrics WORSE = ClassificationMetrics.of(new int[] {0, 1, 1},
            Nd4j.create(new double[][] {{0.9, 0.1}, {0.6, 0.4}, {0.7, 0.3}}), List.of("a", "b"));

    static List<RunResult> results() {
        List<RunResult> results = new ArrayList<>();
        results.add(run("head-only", 1, 1_000, 0.50, 0.60, 0.70));
        results.add(run("head-only", 2, 1_000, 0.40, 0.55, 0.65));
        results.add(run("full", 1, 400_000, 0.60, 0.70, 0.80));
        results.add(run("full", 2, 400_000, 0.62, 0.74, 0.78));
        results.add(run("lora-conv {alpha=4, rank=4}", 1, 20_000, 0.55, 0.65, 0.75));
        results.add(RunResult.skipped("tcurlora", "tcurlora {fallback=AUTO}", 1, "'tcurlora' cannot adapt fc1", "d", null));
        return results;
    }

    private static RunResult run(String method, long seed, long trainable, double... accuracy) {
        List<EpochRecord> epochs = new ArrayList<>();
        for (int e = 0; e < accuracy.length; e++) {
            epochs.add(new EpochRecord(e + 1, 1.0, null, null, null, 1.0, accuracy[e], 0.5, 1.0));
        }
        return new RunResult(method, method, seed, RunResult.DONE, "", "{}", List.of(), trainable, 500_000, 500_000, 0,
                epochs, accuracy.length, "last epoch", seed == 1 ? METRICS : WORSE, accuracy.length, METRICS, 1.0,
                new RunMemory(100L << 20, (150L + trainable / 10_000) << 20, trainable * 4, trainable * 8), "d", null, null);
    }

    @Test
    void accuracyPerEpochHasOneLinePerFinishedMethodAndABandPerMultiSeedMethod() {
        XYChart chart = ComparisonPlots.accuracyPerEpoch(ComparisonPlots.finished(results()));
        List<XYSeries> series = new ArrayList<>(chart.getSeriesMap().values());
        assertThat(series.stream().filter(XYSeries::isShowInLegend).map(XYSeries::getName))
                .containsExactly("head-only (2 seeds)", "full (2 seeds)", "lora-conv {alpha=4, rank=4}");
        assertThat(series.stream().filter(s -> !s.isShowInLegend())
                .filter(s -> s.getXYSeriesRenderStyle() == XYSeries.XYSeriesRenderStyle.PolygonArea)).hasSize(2);
        XYSeries full = chart.getSeriesMap().get("full (2 seeds)");
        assertThat(full.getYData()[2]).isCloseTo(0.79, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(chart.getTitle()).contains("min-max over 2 seeds");
    }

    @Test
    void accuracyVersusParametersHasOnePointPerMethodOnALogAxis() {
        XYChart chart = ComparisonPlots.accuracyVersusParameters(ComparisonPlots.finished(results()));
        Map<String, XYSeries> series = chart.getSeriesMap();
        assertThat(series).hasSize(3);
        assertThat(series.values()).allMatch(s -> s.getXData().length == 1);
        assertThat(series.get("full (2 seeds)").getXData()[0]).isEqualTo(400_000);
        assertThat(series.get("full (2 seeds)").getExtraValues()[0]).isGreaterThan(0);
        assertThat(series.get("lora-conv {alpha=4, rank=4}").getExtraValues()[0]).isZero();
        assertThat(chart.getStyler().isXAxisLogarithmic()).isTrue();
        assertThat(chart.getTitle()).contains("±1 s.d. over 2 seeds");
    }

    @Test
    void writesTwoNonEmptyPngsAndNothingWithoutFinishedRuns() throws IOException {
        List<Path> files = ComparisonPlots.write(temp, results());
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly(ComparisonPlots.CURVES_FILE, ComparisonPlots.PARAMS_FILE);
        for (Path file : files) {
            byte[] png = Files.readAllBytes(file);
            assertThat(png.length).isGreaterThan(5000);
            assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
        assertThat(ComparisonPlots.write(temp.resolve("none"), List.of(results().get(5)))).isEmpty();
    }

    @Test
    void summaryReferencesTheFiguresWithCaptionsAndShowsEachRunsOwnMemory() {
        String summary = MarkdownSummary.render("fashion-transfer", Map.of("epochs", "3"), "vgg-mini", results(),
                List.of("plots/" + ComparisonPlots.CURVES_FILE, "plots/" + ComparisonPlots.PARAMS_FILE));
        assertThat(summary).contains("![plots/accuracy-per-epoch.png](plots/accuracy-per-epoch.png)",
                "shaded band = min-max over the seeds", "error bars = ±1 s.d. over the seeds",
                "| workspaces + updater MiB | RSS growth MiB |", MarkdownSummary.MEMORY_NOTE.trim());
        // full: 12 bytes per trainable parameter = 4.6 MiB, grew 90 MiB; lora, after it, shows its own 0.2 and 52 MiB
        assertThat(summary).contains("| 4.6 ± 0.0 | 90.0 ± 0.0 |", "| 0.2 | 52.0 |");
        assertThat(summary).doesNotContain("Config[", "Optional[");
    }
}
