package org.peft4j.bench.volumetric;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.peft4j.LayerSelector;
import org.peft4j.ParameterReport;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.backbones.Cnn3dSmall;
import org.peft4j.io.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The cost of one training step of {@code colora3d} against full fine-tuning on a 3D network
 * ({@code cnn3d-small}), and how it changes with the volume size.
 *
 * <p>Per volume size, in one process: full fine-tuning (every layer trainable) and {@code colora3d}
 * (every {@code Convolution3D} adapted, {@code fc1} and the output layer trainable, as in the paper)
 * start from the same network and the same batch of generated volumes; after the warm-up steps
 * their steps alternate (which goes first alternates too, so drift hits both) and the median step
 * time of each is reported with their ratio. Also: inference time of the base, adapted and merged
 * networks, the time of one in-place merge, parameter counts, and the process's peak resident
 * memory (both methods share the process, so it bounds both). Writes {@code speed.json} and
 * {@code speed.md} atomically.
 */
@Command(name = "colora3d-speed", mixinStandardHelpOptions = true,
        description = "Step time of colora3d vs full fine-tuning on cnn3d-small, per volume size.")
public final class Colora3dSpeed implements Callable<Integer> {

    @Option(names = "--sizes", split = ",", defaultValue = "16,28,48", description = "volume edges (default ${DEFAULT-VALUE})")
    private int[] sizes;

    @Option(names = "--batch", defaultValue = "8", description = "batch size (default ${DEFAULT-VALUE})")
    private int batch;

    @Option(names = "--warmup", defaultValue = "5", description = "warm-up steps per method (default ${DEFAULT-VALUE})")
    private int warmup;

    @Option(names = "--iterations", defaultValue = "15", description = "timed steps per method (default ${DEFAULT-VALUE})")
    private int iterations;

    @Option(names = "--classes", defaultValue = "11", description = "output classes (default ${DEFAULT-VALUE}, OrganMNIST3D)")
    private int classes;

    @Option(names = "--threads", description = "ND4J threads per op (default: ND4J's)")
    private Integer threads;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--note", defaultValue = "", description = "recorded with the results, e.g. that the machine was shared")
    private String note;

    @Option(names = "--out", defaultValue = "results/colora3d-speed", description = "output folder (default ${DEFAULT-VALUE})")
    private Path out;

    /** Timings of one method at one size (milliseconds). */
    public record Method(String name, double stepMedianMs, double[] stepMs, long trainableParameters,
            long totalParameters) {
    }

    /** One volume size. */
    public record SizeResult(int size, int batch, Method full, Method colora3d, double stepRatio,
            double inferenceBaseMs, double inferenceAdaptedMs, double inferenceMergedMs, double mergeMs,
            double mergedMaxAbsDifference, long peakPhysicalBytes) {
    }

    /** The whole run. */
    public record Report(String network, int warmup, int iterations, List<SizeResult> sizes, RunInfo run) {
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Colora3dSpeed()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws IOException {
        if (iterations < 15 || warmup < 5) {
            System.out.println("note: fewer than the protocol's 15 timed steps after 5 warm-ups (a smoke run)");
        }
        if (threads != null) {
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
        }
        RunInfo run = RunInfo.current(note);
        List<SizeResult> results = new ArrayList<>();
        for (int size : sizes) {
            SizeResult result = measure(size);
            results.add(result);
            System.out.printf(Locale.ROOT, "%d^3 batch %d: full %.1f ms, colora3d %.1f ms, ratio %.3f%n", size, batch,
                    result.full().stepMedianMs(), result.colora3d().stepMedianMs(), result.stepRatio());
        }
        Report report = new Report("cnn3d-small (1 channel, " + classes + " classes)", warmup, iterations, results, run);
        AtomicFiles.writeString(out.resolve("speed.json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        AtomicFiles.writeString(out.resolve("speed.md"), markdown(report));
        System.out.println("wrote " + out.resolve("speed.json") + " and " + out.resolve("speed.md"));
        return 0;
    }

    private SizeResult measure(int size) {
        DataSet data = SyntheticVolumes.generate("speed", batch, size, Math.min(classes, SyntheticVolumes.MAX_CLASSES),
                seed).batch(range(batch), classes);
        MultiLayerNetwork base = Cnn3dSmall.create(1, size, classes, seed);
        MultiLayerNetwork full = base.clone();
        PeftModel<MultiLayerNetwork> colora = Peft.apply(base, PeftConfig.builder().method("colora3d")
                .targets(LayerSelector.byType(Convolution3D.class)).trainable(LayerSelector.names("fc1", "predictions"))
                .updater(new Adam(1e-3)).build());
        MultiLayerNetwork adapted = colora.network();
        long peak = Pointer.physicalBytes();
        for (int i = 0; i < warmup; i++) {
            full.fit(data);
            adapted.fit(data);
        }
        double[] fullMs = new double[iterations];
        double[] coloraMs = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            boolean fullFirst = i % 2 == 0;
            if (fullFirst) {
                fullMs[i] = millis(() -> full.fit(data));
            }
            coloraMs[i] = millis(() -> adapted.fit(data));
            if (!fullFirst) {
                fullMs[i] = millis(() -> full.fit(data));
            }
            peak = Math.max(peak, Pointer.physicalBytes());
        }
        MultiLayerNetwork merged = colora.mergeAndUnload();
        INDArray x = data.getFeatures();
        double difference = adapted.output(x).sub(merged.output(x)).amaxNumber().doubleValue();
        double baseInference = median(repeat(() -> base.output(x)));
        double adaptedInference = median(repeat(() -> adapted.output(x)));
        double mergedInference = median(repeat(() -> merged.output(x)));
        double mergeMs = median(repeat(colora::mergeInPlace));
        ParameterReport params = colora.parameterReport();
        Method fullResult = new Method("full fine-tuning", median(fullMs), fullMs, full.numParams(), full.numParams());
        Method coloraResult = new Method("colora3d", median(coloraMs), coloraMs, params.trainable(), params.total());
        return new SizeResult(size, batch, fullResult, coloraResult, coloraResult.stepMedianMs() / fullResult.stepMedianMs(),
                baseInference, adaptedInference, mergedInference, mergeMs, difference, Math.max(peak, Pointer.physicalBytes()));
    }

    private double[] repeat(Runnable action) {
        action.run();
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            ms[i] = millis(action);
        }
        return ms;
    }

    private static double millis(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1e6;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static int[] range(int n) {
        int[] indices = new int[n];
        Arrays.setAll(indices, i -> i);
        return indices;
    }

    static String markdown(Report report) {
        StringBuilder md = new StringBuilder("# colora3d step time vs full fine-tuning, " + report.network() + "\n\n");
        md.append(String.format(Locale.ROOT, "Medians over %d steps after %d warm-ups, both methods in one process, "
                + "steps alternating. %s, %d processors, %s, ND4J threads %d, %s. %s%n%n", report.iterations(),
                report.warmup(), report.run().java(), report.run().processors(), report.run().arch(),
                report.run().nd4jThreads(), report.run().time(), report.run().note()));
        md.append("| volume | batch | full step ms | colora3d step ms | colora3d / full | trainable colora3d / full "
                + "| inference base / adapted / merged ms | merge ms | peak RSS MB |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SizeResult r : report.sizes()) {
            md.append(String.format(Locale.ROOT, "| %d^3 | %d | %.1f | %.1f | **%.3f** | %,d / %,d | %.1f / %.1f / %.1f "
                    + "| %.1f | %.0f |%n", r.size(), r.batch(), r.full().stepMedianMs(), r.colora3d().stepMedianMs(),
                    r.stepRatio(), r.colora3d().trainableParameters(), r.full().trainableParameters(),
                    r.inferenceBaseMs(), r.inferenceAdaptedMs(), r.inferenceMergedMs(), r.mergeMs(),
                    r.peakPhysicalBytes() / 1e6));
        }
        return md.toString();
    }
}
