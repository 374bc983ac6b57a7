package org.peft4j.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.peft4j.bench.run.RunResult;

/**
 * The figures that put every method of a comparison on shared axes, drawn with XChart:
 * <ul>
 *   <li>{@code accuracy-per-epoch.png}: test accuracy per epoch, one line per method (mean over seeds) with a
 *       min-max band over the seeds when there are several;</li>
 *   <li>{@code accuracy-vs-params.png}: test accuracy at the selected epoch against trainable parameters on a log
 *       axis, one point per method (mean over seeds) with ±1 s.d. error bars when there are several seeds.</li>
 * </ul>
 * Only finished runs are drawn; a method without any is left out.
 */
public final class ComparisonPlots {

    /** File name of the accuracy-per-epoch figure. */
    public static final String CURVES_FILE = "accuracy-per-epoch.png";
    /** File name of the accuracy-against-parameters figure. */
    public static final String PARAMS_FILE = "accuracy-vs-params.png";

    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44),
        new Color(148, 103, 189), new Color(255, 127, 14), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 520;

    private ComparisonPlots() {
    }

    /** Writes both figures into {@code folder} (each atomically); returns the files, none when no run finished. */
    public static List<Path> write(Path folder, List<RunResult> results) throws IOException {
        Map<String, List<RunResult>> finished = finished(results);
        if (finished.isEmpty()) {
            return List.of();
        }
        return List.of(Plots.save(List.of(accuracyPerEpoch(finished)), 1, 1, folder.resolve(CURVES_FILE)),
                Plots.save(List.of(accuracyVersusParameters(finished)), 1, 1, folder.resolve(PARAMS_FILE)));
    }

    /**
     * The caption printed under {@code file} in the summary, or an empty string for any other figure.
     *
     * @param file  a plot file name, possibly with folders before it
     * @param seeds the most finished runs of one method
     */
    public static String caption(String file, int seeds) {
        String over = seeds > 1 ? " over " + seeds + " seeds" : " (one seed: no spread)";
        if (file.endsWith(CURVES_FILE)) {
            return "Test accuracy per epoch of every method: line = mean" + over
                    + (seeds > 1 ? ", shaded band = min-max over the seeds." : ".");
        }
        if (file.endsWith(PARAMS_FILE)) {
            return "Test accuracy at the selected epoch against trainable parameters (log x axis): point = mean" + over
                    + (seeds > 1 ? ", error bars = ±1 s.d. over the seeds." : ".");
        }
        return "";
    }

    /** The finished runs of each method that has any, in first-seen order. */
    static Map<String, List<RunResult>> finished(List<RunResult> results) {
        Map<String, List<RunResult>> grouped = MarkdownSummary.byMethod(results.stream().filter(RunResult::done).toList());
        grouped.values().removeIf(List::isEmpty);
        return grouped;
    }

    /** Test accuracy per epoch, one legend entry per method; bands are polygon series kept out of the legend. */
    static XYChart accuracyPerEpoch(Map<String, List<RunResult>> methods) {
        int seeds = methods.values().stream().mapToInt(List::size).max().orElse(1);
        String band = seeds > 1 ? "; band: min-max over " + seeds + " seeds" : "";
        XYChart chart = Plots.xyChart("Test accuracy per epoch (line: mean over seeds" + band + ")", "epoch",
                "test accuracy", WIDTH, HEIGHT);
        legendOnTheRight(chart);
        int index = 0;
        for (List<RunResult> runs : methods.values()) {
            Color color = PALETTE[index++ % PALETTE.length];
            SeedBand curve = SeedBand.of(runs);
            if (runs.size() > 1) {
                XYSeries fill = chart.addSeries(label(runs) + " min-max", curve.polygonX(), curve.polygonY());
                fill.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                fill.setFillColor(Plots.alpha(color, 50));
                fill.setLineColor(Plots.alpha(color, 50));
                fill.setMarker(SeriesMarkers.NONE);
                fill.setShowInLegend(false);
            }
            XYSeries line = chart.addSeries(label(runs), curve.epochs(), curve.mean());
            line.setLineColor(color);
            line.setMarker(SeriesMarkers.CIRCLE);
            line.setMarkerColor(color);
        }
        return chart;
    }

    /** Accuracy at the selected epoch against trainable parameters (log axis), one series of one point per method. */
    static XYChart accuracyVersusParameters(Map<String, List<RunResult>> methods) {
        int seeds = methods.values().stream().mapToInt(List::size).max().orElse(1);
        String bars = seeds > 1 ? "; error bars: ±1 s.d. over " + seeds + " seeds" : "";
        XYChart chart = Plots.xyChart("Test accuracy at the selected epoch (mean over seeds" + bars + ")",
                "trainable parameters (log scale)", "test accuracy", WIDTH, HEIGHT);
        legendOnTheRight(chart);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(10);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        // a factor of two of room on either side keeps the extreme points off the frame
        methods.values().stream().mapToLong(r -> r.get(0).trainable()).filter(t -> t > 0).min()
                .ifPresent(min -> chart.getStyler().setXAxisMin(min / 2.0));
        methods.values().stream().mapToLong(r -> r.get(0).trainable()).max()
                .ifPresent(max -> chart.getStyler().setXAxisMax(max * 2.0));
        int index = 0;
        for (List<RunResult> runs : methods.values()) {
            Color color = PALETTE[index++ % PALETTE.length];
            long trainable = runs.get(0).trainable();
            if (trainable <= 0) {
                continue;
            }
            Spread accuracy = Spread.of(runs.stream().mapToDouble(r -> r.selected().accuracy()).toArray());
            double sd = runs.size() > 1 ? accuracy.sd() : 0;
            XYSeries point = chart.addSeries(label(runs), new double[] {trainable}, new double[] {accuracy.mean()},
                    new double[] {sd});
            point.setMarker(SeriesMarkers.CIRCLE);
            point.setMarkerColor(color);
            point.setLineColor(color);
        }
        return chart;
    }

    private static String label(List<RunResult> runs) {
        return runs.get(0).description() + (runs.size() > 1 ? " (" + runs.size() + " seeds)" : "");
    }

    /** Mean test accuracy and its min-max range per epoch over one method's runs (up to the shortest run). */
    record SeedBand(double[] epochs, double[] mean, double[] min, double[] max) {

        static SeedBand of(List<RunResult> runs) {
            int n = runs.stream().mapToInt(r -> r.epochs().size()).min().orElse(0);
            double[] x = new double[n];
            double[] mean = new double[n];
            double[] min = new double[n];
            double[] max = new double[n];
            for (int e = 0; e < n; e++) {
                int epoch = e;
                Spread s = Spread.of(runs.stream().mapToDouble(r -> r.epochs().get(epoch).testAccuracy()).toArray());
                x[e] = e + 1;
                mean[e] = s.mean();
                min[e] = s.min();
                max[e] = s.max();
            }
            return new SeedBand(x, mean, min, max);
        }

        /** The band's outline: along the maxima, back along the minima. */
        double[] polygonX() {
            List<Double> xs = new ArrayList<>();
            for (double e : epochs) {
                xs.add(e);
            }
            for (int i = epochs.length - 1; i >= 0; i--) {
                xs.add(epochs[i]);
            }
            return xs.stream().mapToDouble(Double::doubleValue).toArray();
        }

        double[] polygonY() {
            double[] y = new double[2 * max.length];
            for (int i = 0; i < max.length; i++) {
                y[i] = max[i];
                y[y.length - 1 - i] = min[i];
            }
            return y;
        }
    }

    /** One legend line per method on the right: method labels with settings are too long for one row below. */
    private static void legendOnTheRight(XYChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE).setLegendLayout(Styler.LegendLayout.Vertical);
    }
}
