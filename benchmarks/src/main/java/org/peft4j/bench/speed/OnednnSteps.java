package org.peft4j.bench.speed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.peft4j.io.AtomicFiles;

/**
 * Where a training step's time inside oneDNN goes, per step: reads a oneDNN verbose log ({@link OnednnLog}) and
 * prints two markdown tables, by kind of work (convolution passes, layout conversions by layouts, matrix products,
 * pooling) and by kernel and shape, in milliseconds per step. Run on a log of peft4j's {@code speed} command and on
 * one of {@code benchmarks/pytorch/onednn_step.py}, it shows primitive by primitive where the two differ:
 *
 * <pre>
 * DNNL_VERBOSE=1 java -jar benchmarks/target/peft4j.jar speed --networks vgg16-64 --methods colora \
 *     --warmup 12 --no-until-jit-settles --iterations 3 &gt; peft4j-colora.log
 * java -cp benchmarks/target/peft4j.jar org.peft4j.bench.speed.OnednnSteps --log peft4j-colora.log \
 *     --marker "convolution forward_inference mb16_ic3oc64_ih64" --skip 11 --steps 3
 * python3 benchmarks/pytorch/onednn_step.py --net vgg16-64 --method colora &gt; pytorch-colora.log
 * java -cp benchmarks/target/peft4j.jar org.peft4j.bench.speed.OnednnSteps --log pytorch-colora.log
 * </pre>
 *
 * <p>Flags: {@code --log FILE} (required); {@code --marker TEXT}, the text of each step's first execution as
 * {@code <primitive> <propagation> <problem>}, e.g. {@code convolution forward_inference mb16_ic3oc64_ih64} (default
 * none: the whole log is {@code --steps} steps); {@code --skip K}, steps left out first (default 0; the layout
 * conversions logged just before the marker's execution count to the step before it, so leave out the last step
 * before another phase, as above: 15 training steps, the 12th to the 14th kept); {@code --steps N} (default 1);
 * {@code --top T}, rows of the second table (default 25); {@code --out FILE}
 * (also writes the tables there). The times are oneDNN's own; the rest of a step (libnd4j's element-wise loops,
 * Java, PyTorch's autograd) is not in the log, and writing the log slows a step by a few per cent.
 */
public final class OnednnSteps {

    private OnednnSteps() {
    }

    public static void main(String[] args) throws IOException {
        ToolFlags flags = ToolFlags.parse(Map.of("--log", "", "--marker", "", "--skip", "0", "--steps", "1", "--top",
                "25", "--out", ""), args);
        if (flags.get("--log").isEmpty()) {
            throw new IllegalArgumentException("--log FILE is required: a oneDNN verbose log (DNNL_VERBOSE=1)");
        }
        Path log = Path.of(flags.get("--log"));
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--log " + log + ": no such file", e);
        }
        int steps = flags.number("--steps");
        List<OnednnLog.Execution> executions;
        try {
            executions = OnednnLog.steps(lines, flags.get("--marker"), flags.number("--skip"), steps);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--log " + log + ": " + e.getMessage(), e);
        }
        String tables = tables(log.getFileName().toString(), executions, steps, flags.number("--top"));
        System.out.println(tables);
        if (!flags.get("--out").isEmpty()) {
            AtomicFiles.writeString(Path.of(flags.get("--out")), tables);
        }
    }

    /** The two tables for {@code executions}, which span {@code steps} steps. */
    static String tables(String name, List<OnednnLog.Execution> executions, int steps, int top) {
        double total = executions.stream().mapToDouble(OnednnLog.Execution::millis).sum();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "**oneDNN in %s: %.1f ms and %.0f executions per step (%d step%s)**%n%n", name, total / steps,
                (double) executions.size() / steps, steps, steps == 1 ? "" : "s"));
        out.append("| work | ms per step | executions per step | share |\n|---|---:|---:|---:|\n");
        for (Sum sum : sums(executions, OnednnLog.Execution::category)) {
            out.append(String.format(Locale.ROOT, "| %s | %.2f | %.1f | %.1f%% |%n", sum.key(), sum.millis() / steps,
                    (double) sum.count() / steps, 100 * sum.millis() / total));
        }
        out.append("\n| kernel | problem | ms per step | executions per step |\n|---|---|---:|---:|\n");
        sums(executions, e -> e.category() + ", " + e.implementation() + " | " + e.problem()).stream().limit(top)
                .forEach(sum -> out.append(String.format(Locale.ROOT, "| %s | %.2f | %.1f |%n", sum.key(),
                        sum.millis() / steps, (double) sum.count() / steps)));
        return out.toString();
    }

    private record Sum(String key, double millis, int count) {
    }

    private static List<Sum> sums(List<OnednnLog.Execution> executions, Function<OnednnLog.Execution, String> key) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (OnednnLog.Execution e : executions) {
            double[] sum = sums.computeIfAbsent(key.apply(e), k -> new double[2]);
            sum[0] += e.millis();
            sum[1]++;
        }
        return sums.entrySet().stream().map(e -> new Sum(e.getKey(), e.getValue()[0], (int) e.getValue()[1]))
                .sorted(Comparator.comparingDouble(Sum::millis).reversed()).toList();
    }
}
