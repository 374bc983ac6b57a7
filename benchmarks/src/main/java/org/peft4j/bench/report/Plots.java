package org.peft4j.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.peft4j.bench.metrics.ClassificationMetrics;
import org.peft4j.bench.metrics.RocCurve;
import org.peft4j.bench.run.EpochRecord;
import org.peft4j.bench.run.RunResult;
import org.peft4j.io.AtomicFiles;

/**
 * The paper's figures as PNG files, drawn with XChart:
 * <ul>
 *   <li>{@code curves-<method>.png} (Fig. 7): loss and accuracy per epoch, the median over runs as a
 *       line, the inter-quartile range as a dark band and the min-max range as a light band;</li>
 *   <li>{@code roc-<method>.png} (Fig. 9): one-vs-rest ROC curve of each class for the run with the
 *       median macro AUC, at its selected epoch;</li>
 *   <li>{@code confusion-<method>.png} (Fig. 8): the confusion matrix at the selected epoch, summed over runs.</li>
 * </ul>
 */
public final class Plots {

    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44),
        new Color(148, 103, 189), new Color(255, 127, 14), new Color(140, 86, 75)};
    private static final int WIDTH = 640;
    private static final int HEIGHT = 440;

    private Plots() {
    }

    /** Writes the three figures of {@code method}'s finished runs into {@code folder}; returns the files. */
    public static List<Path> write(Path folder, String method, List<RunResult> runs) throws IOException {
        List<RunResult> done = runs.stream().filter(RunResult::done).toList();
        if (done.isEmpty()) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        files.add(save(List.of(lossChart(method, done), accuracyChart(method, done)), 1, 2,
                folder.resolve("curves-" + method + ".png")));
        RunResult median = medianRun(done);
        files.add(save(List.of(rocChart(method, median)), 1, 1, folder.resolve("roc-" + method + ".png")));
        files.add(save(List.of(confusionChart(method, done)), 1, 1, folder.resolve("confusion-" + method + ".png")));
        return files;
    }

    private static XYChart lossChart(String method, List<RunResult> runs) {
        XYChart chart = xyChart(method + ": loss", "epoch", "loss");
        int color = 0;
        band(chart, "train", runs, EpochRecord::trainLoss, PALETTE[color++]);
        if (runs.get(0).epochs().get(0).valLoss() != null) {
            band(chart, "validation", runs, EpochRecord::valLoss, PALETTE[color++]);
        }
        band(chart, "test", runs, EpochRecord::testLoss, PALETTE[color]);
        return chart;
    }

    private static XYChart accuracyChart(String method, List<RunResult> runs) {
        XYChart chart = xyChart(method + ": accuracy", "epoch", "accuracy");
        if (runs.get(0).epochs().get(0).valAccuracy() != null) {
            band(chart, "validation", runs, EpochRecord::valAccuracy, PALETTE[1]);
        }
        band(chart, "test", runs, EpochRecord::testAccuracy, PALETTE[2]);
        return chart;
    }

    /** Median line, IQR band and min-max band of one quantity over runs. */
    private static void band(XYChart chart, String name, List<RunResult> runs, Function<EpochRecord, Double> value,
            Color color) {
        int epochs = runs.stream().mapToInt(r -> r.epochs().size()).min().orElse(0);
        double[] x = new double[epochs];
        Spread[] spreads = new Spread[epochs];
        for (int e = 0; e < epochs; e++) {
            x[e] = e + 1;
            int epoch = e;
            spreads[e] = Spread.of(runs.stream().mapToDouble(r -> value.apply(r.epochs().get(epoch))).toArray());
        }
        if (runs.size() > 1) {
            polygon(chart, name + " min-max", x, spreads, Spread::min, Spread::max, alpha(color, 40));
            polygon(chart, name + " IQR", x, spreads, Spread::q1, Spread::q3, alpha(color, 90));
        }
        double[] median = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            median[e] = spreads[e].median();
        }
        XYSeries line = chart.addSeries(name + (runs.size() > 1 ? " (median of " + runs.size() + " runs)" : ""), x, median);
        line.setLineColor(color);
        line.setMarker(SeriesMarkers.CIRCLE);
        line.setMarkerColor(color);
    }

    private static void polygon(XYChart chart, String name, double[] x, Spread[] spreads, Function<Spread, Double> low,
            Function<Spread, Double> high, Color fill) {
        int n = x.length;
        double[] px = new double[2 * n];
        double[] py = new double[2 * n];
        for (int i = 0; i < n; i++) {
            px[i] = x[i];
            py[i] = high.apply(spreads[i]);
            px[2 * n - 1 - i] = x[i];
            py[2 * n - 1 - i] = low.apply(spreads[i]);
        }
        XYSeries series = chart.addSeries(name, px, py);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        series.setFillColor(fill);
        series.setLineColor(fill);
        series.setMarker(SeriesMarkers.NONE);
        series.setShowInLegend(false);
    }

    private static XYChart rocChart(String method, RunResult run) {
        XYChart chart = new XYChartBuilder().width(WIDTH + 200).height(HEIGHT).title(String.format(
                "%s: ROC, seed %d, epoch %d (macro AUC %.4f)", method, run.seed(), run.selectedEpoch(),
                run.selected().macroAuc())).xAxisTitle("false positive rate").yAxisTitle("true positive rate").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE).setLegendLayout(Styler.LegendLayout.Vertical);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        ClassificationMetrics m = run.selected();
        for (int c = 0; c < m.roc().size(); c++) {
            RocCurve roc = m.roc().get(c);
            if (Double.isNaN(roc.auc())) {
                continue;
            }
            XYSeries series = chart.addSeries(String.format("%s (AUC %.4f)", m.classNames().get(c), roc.auc()),
                    roc.fpr(), roc.tpr());
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(PALETTE[c % PALETTE.length]);
        }
        XYSeries chance = chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
        chance.setMarker(SeriesMarkers.NONE);
        chance.setLineColor(Color.GRAY);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setXAxisDecimalPattern("0.0#").setYAxisDecimalPattern("0.0#");
        return chart;
    }

    private static HeatMapChart confusionChart(String method, List<RunResult> runs) {
        List<String> classes = runs.get(0).selected().classNames();
        int n = classes.size();
        long[][] sum = new long[n][n];
        for (RunResult run : runs) {
            long[][] c = run.selected().confusion();
            for (int a = 0; a < n; a++) {
                for (int p = 0; p < n; p++) {
                    sum[a][p] += c[a][p];
                }
            }
        }
        List<Number[]> cells = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            for (int a = 0; a < n; a++) {
                // x = predicted, y = actual, listed top row first
                cells.add(new Number[] {p, n - 1 - a, sum[a][p]});
            }
        }
        List<String> reversed = new ArrayList<>(classes);
        Collections.reverse(reversed);
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT)
                .title(method + ": confusion matrix, " + runs.size() + " run(s) summed")
                .xAxisTitle("predicted").yAxisTitle("actual").build();
        chart.getStyler().setShowValue(true).setPlotContentSize(1.0);
        chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(31, 119, 180)});
        chart.getStyler().setLegendVisible(false);
        chart.addSeries("confusion", classes, reversed, cells);
        return chart;
    }

    private static RunResult medianRun(List<RunResult> runs) {
        List<RunResult> sorted = runs.stream()
                .sorted(Comparator.comparingDouble((RunResult r) -> r.selected().macroAuc()).thenComparingLong(RunResult::seed))
                .toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static XYChart xyChart(String title, String x, String y) {
        return xyChart(title, x, y, WIDTH, HEIGHT);
    }

    /** A white XY chart of the given size with its legend below, the style of every figure of a comparison. */
    static XYChart xyChart(String title, String x, String y, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(x).yAxisTitle(y).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        return chart;
    }

    /** {@code color} with the given opacity (0-255), for bands. */
    static Color alpha(Color color, int alpha) {
        return new Color(color.getRed(), color.getGreen(), color.getBlue(), alpha);
    }

    /** Writes {@code charts} as one PNG, atomically. */
    static <T extends Chart<?, ?>> Path save(List<T> charts, int rows, int columns, Path file) throws IOException {
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(charts, rows, columns, out, BitmapEncoder.BitmapFormat.PNG));
        return file;
    }
}
