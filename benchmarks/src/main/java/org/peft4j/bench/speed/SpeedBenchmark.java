package org.peft4j.bench.speed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.backbones.preprocessing.ChannelsLast;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.peft4j.AdapterRegistry;
import org.peft4j.Seeds;
import org.peft4j.io.AtomicFiles;
import org.peft4j.natives.Dl4jHelpers;
import org.peft4j.natives.NativeMemory;
import org.peft4j.natives.ThreadWaiting;
import org.peft4j.natives.Natives;
import org.peft4j.network.NetworkKind;

/**
 * The {@code speed} protocol (docs/protocols.md): for each network, every method's training step
 * (forward, backward, update on one batch), the inference time of the adapted and of the merged
 * network against the base network, trainable and total parameters and ND4J memory, all in one
 * process with the methods timed in turns. Writes {@code speed.json} and {@code speed.md}
 * atomically into the output folder.
 *
 * <pre>{@code
 * SpeedReport report = SpeedBenchmark.run(SpeedOptions.protocol(Path.of("results/speed")));
 * }</pre>
 *
 * From the command line: {@code peft4j speed} ({@code ./peft4j speed --help}).
 */
public final class SpeedBenchmark {

    private static final int WARM_STEPS_FOR_PAGE_FAULTS = 3;

    private SpeedBenchmark() {
    }

    /** Runs the protocol with the adapter methods on the class path. */
    public static SpeedReport run(SpeedOptions options) throws IOException {
        return run(options, AdapterRegistry.fromClasspath());
    }

    /** Runs the protocol with the methods of {@code registry}; unknown {@code --methods} names fail before any work. */
    public static SpeedReport run(SpeedOptions options, AdapterRegistry registry) throws IOException {
        return run(options, registry, line -> { });
    }

    /**
     * As {@link #run(SpeedOptions, AdapterRegistry)}, telling {@code progress} when each phase (training steps,
     * inference) of each network starts warming up and how many warm-up rounds it took.
     */
    public static SpeedReport run(SpeedOptions options, AdapterRegistry registry, Consumer<String> progress)
            throws IOException {
        options.requireKnownMethods(registry);
        double loadStart = loadAverage();
        List<SpeedReport.NetworkResult> results = new ArrayList<>();
        for (BenchNetwork network : options.networks()) {
            results.add(measure(network, options, registry, progress));
        }
        Map<String, String> configs = new LinkedHashMap<>();
        options.configs().forEach((method, config) -> configs.put(method, config.toString()));
        PytorchReference pytorch = options.pytorch() == null ? null : PytorchReference.read(options.pytorch());
        SpeedReport report = new SpeedReport(provenance(loadStart), new SpeedReport.Settings(options.warmups(),
                options.untilJitSettles(), options.iterations(), options.seed(), options.meetsProtocol(), configs,
                options.channelsLast()),
                results, pytorch);
        write(report, options);
        return report;
    }

    private static SpeedReport.NetworkResult measure(BenchNetwork network, SpeedOptions options,
            AdapterRegistry registry, Consumer<String> progress) {
        Model base = network.create(options.seed(), options.channelsLast());
        int batch = options.batchFor(network);
        DataSet data = data(network, batch, options.seed(), options.channelsLast());
        Contenders.Lineup lineup = Contenders.of(network, base, options, registry);
        List<Contender> contenders = lineup.contenders();

        List<Runnable> steps = new ArrayList<>();
        contenders.forEach(c -> steps.add(() -> fit(c.network(), data)));
        RoundRobin.Rounds stepRounds = timed(network.id() + ", training steps of " + steps.size() + " methods", steps,
                options, progress);
        double[][] stepTimes = stepRounds.samples();

        List<Model> merged = new ArrayList<>();
        contenders.forEach(c -> merged.add(c.adapter() ? c.merged().get() : null));
        List<Runnable> inference = new ArrayList<>();
        inference.add(() -> output(base, data.getFeatures()));
        contenders.forEach(c -> inference.add(() -> output(c.network(), data.getFeatures())));
        merged.stream().filter(m -> m != null).forEach(m -> inference.add(() -> output(m, data.getFeatures())));
        RoundRobin.Rounds inferenceRounds = timed(network.id() + ", inference of " + inference.size() + " networks",
                inference, options, progress);
        double[][] inferenceTimes = inferenceRounds.samples();

        SpeedReport.Timing baseInference = SpeedReport.Timing.of(inferenceTimes[0]);
        double[] fullSteps = null;
        for (int i = 0; i < contenders.size(); i++) {
            if (contenders.get(i).method().equals(SpeedOptions.FULL)) {
                fullSteps = stepTimes[i];
            }
        }
        List<SpeedReport.MethodResult> methods = new ArrayList<>();
        int mergedSlot = 1 + contenders.size();
        for (int i = 0; i < contenders.size(); i++) {
            Contender c = contenders.get(i);
            SpeedReport.Timing step = SpeedReport.Timing.of(stepTimes[i]);
            SpeedReport.Timing adapted = SpeedReport.Timing.of(inferenceTimes[1 + i]);
            SpeedReport.Timing mergedTiming = null;
            Double mergedRatio = null;
            Double adaptedToMerged = null;
            Double mergedError = null;
            if (merged.get(i) != null) {
                mergedTiming = SpeedReport.Timing.of(inferenceTimes[mergedSlot]);
                adaptedToMerged = pairedRatio(inferenceTimes[1 + i], inferenceTimes[mergedSlot]);
                mergedRatio = pairedRatio(inferenceTimes[mergedSlot++], inferenceTimes[0]);
                mergedError = maxRelativeError(output(merged.get(i), data.getFeatures()),
                        output(c.network(), data.getFeatures()));
            }
            methods.add(new SpeedReport.MethodResult(c.method(), c.params().trainable(), c.params().total(),
                    c.params().totalAfterMerge(), step, fullSteps == null ? null : pairedRatio(stepTimes[i], fullSteps),
                    adapted, pairedRatio(inferenceTimes[1 + i], inferenceTimes[0]), mergedTiming, mergedRatio,
                    adaptedToMerged, mergedError, memory(c.network(), data)));
        }
        return new SpeedReport.NetworkResult(network.id(), batch, baseInference, methods, lineup.skipped(),
                SpeedReport.WarmUpResult.of(stepRounds), SpeedReport.WarmUpResult.of(inferenceRounds));
    }

    private static RoundRobin.Rounds timed(String phase, List<Runnable> tasks, SpeedOptions options,
            Consumer<String> progress) {
        progress.accept(phase + ": warming up, at least " + rounds(options.warmups())
                + (options.untilJitSettles() ? ", then until the JIT compiler settles" : ""));
        RoundRobin.Rounds rounds = RoundRobin.time(tasks, options.warmUp(), options.iterations(), WarmUp.jitClock());
        progress.accept(phase + ": warmed up in " + rounds(rounds.warmUpRounds()) + " (JIT compiler "
                + rounds.jit().name().toLowerCase(Locale.ROOT).replace('_', ' ') + "), timed "
                + rounds(options.iterations()));
        return rounds;
    }

    private static String rounds(int count) {
        return count == 1 ? "1 round" : count + " rounds";
    }

    /**
     * The median over rounds of {@code times[r] / reference[r]}: each round times every task once, so
     * a round's ratio compares times taken moments apart and slow load drift cancels.
     */
    static double pairedRatio(double[] times, double[] reference) {
        double[] ratios = new double[times.length];
        for (int r = 0; r < times.length; r++) {
            ratios[r] = times[r] / reference[r];
        }
        return SpeedReport.Timing.of(ratios).medianMs();
    }

    /**
     * Uniform features in [0, 1) and random one-hot labels, the same for every method; channels-last, the same
     * features with the channel axis moved last.
     */
    private static DataSet data(BenchNetwork network, int batch, long seed, boolean channelsLast) {
        Seeds.seedNd4j(seed);
        long[] shape = new long[network.inputShape().length + 1];
        shape[0] = batch;
        System.arraycopy(network.inputShape(), 0, shape, 1, network.inputShape().length);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, network.classes());
        for (int i = 0; i < batch; i++) {
            labels.putScalar(i, Nd4j.getRandom().nextInt(network.classes()), 1f);
        }
        INDArray features = Nd4j.rand(DataType.FLOAT, shape);
        return new DataSet(channelsLast ? ChannelsLast.of(features) : features, labels);
    }

    private static void fit(Model network, DataSet data) {
        if (network instanceof MultiLayerNetwork mln) {
            mln.fit(data);
        } else {
            ((ComputationGraph) network).fit(data);
        }
    }

    private static INDArray output(Model network, INDArray features) {
        return network instanceof MultiLayerNetwork mln ? mln.output(features, false)
                : ((ComputationGraph) network).outputSingle(false, features);
    }

    /**
     * Workspace capacity after two steps from fresh workspaces, parameter and optimiser-state bytes, and the page
     * faults of the warm steps that follow.
     */
    private static SpeedReport.Memory memory(Model network, DataSet data) {
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        System.gc();
        fit(network, data);
        fit(network, data);
        long workspaces = Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread().stream()
                .mapToLong(MemoryWorkspace::getCurrentSize).sum();
        long bytes = network.params().dataType().width();
        BaseMultiLayerUpdater<?> updater = NetworkKind.of(network).updater(network);
        INDArray state = updater == null ? null : updater.getStateViewArray();
        long pageFaults = PageFaults.fewestPerRun(() -> fit(network, data), WARM_STEPS_FOR_PAGE_FAULTS);
        return new SpeedReport.Memory(workspaces, network.numParams() * bytes, state == null ? 0 : state.length() * bytes,
                pageFaults);
    }

    private static double maxRelativeError(INDArray a, INDArray b) {
        INDArray diff = a.sub(b);
        return diff.divi(Transforms.max(Transforms.abs(b, true), 1.0)).amaxNumber().doubleValue();
    }

    private static SpeedReport.Provenance provenance(double loadStart) {
        Runtime runtime = Runtime.getRuntime();
        return new SpeedReport.Provenance(Instant.now().toString(), System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("os.arch"),
                runtime.availableProcessors(), Natives.cpuModel(), Natives.loaded(), Natives.select().reason(),
                Dl4jHelpers.enabled(), Nd4j.getEnvironment().maxThreads(), Nd4j.getBackend().getClass().getSimpleName(),
                runtime.maxMemory(), NativeMemory.setting(), NativeMemory.javacppPhysicalCheck(), ThreadWaiting.setting(),
                ThreadWaiting.blasSetting(), loadStart,
                loadAverage());
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void write(SpeedReport report, SpeedOptions options) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.writeString(options.outputDir().resolve("speed.json"), json.writeValueAsString(report));
        AtomicFiles.writeString(options.outputDir().resolve("speed.md"), SpeedMarkdown.of(report));
    }
}
