package org.peft4j.bench.speed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The result of one run of the {@code speed} protocol, written as {@code speed.json} (this record)
 * and {@code speed.md} ({@link SpeedMarkdown}). Times are milliseconds; ratios are to full
 * fine-tuning (training) or to the base network (inference) measured in the same run, each the
 * median over rounds of the ratio within a round (every round times every method once).
 */
public record SpeedReport(Provenance provenance, Settings settings, List<NetworkResult> networks,
        PytorchReference pytorch) {

    /** Training step / full fine-tuning the protocol asks of each method on the networks it names (docs/protocols.md). */
    static final Map<String, Map<String, Double>> STEP_GOALS = Map.of(
            "colora", Map.of("vgg-mini", 0.5, "vgg16-64", 0.5),
            "colora3d", Map.of("cnn3d-28", 0.6),
            "clora", Map.of("vgg-mini", 1.0, "vgg16-64", 1.0),
            "tcurlora", Map.of("vgg-mini", 1.0, "vgg16-64", 1.0));
    /** Adapted (unmerged) inference at most 1.2x the merged network's. */
    static final double ADAPTED_GOAL = 1.2;
    /** Merged inference as fast as the base network's, up to 5% noise. */
    static final double MERGED_GOAL = 1.05;
    /** peft4j's step at most this many times PyTorch's, per method (PyTorch's CoLoRA: its two-branch form). */
    static final Map<String, Double> PYTORCH_GOALS = Map.of("colora", 1.0, "lora-conv", 1.2, "head-only", 1.5);

    public SpeedReport {
        networks = List.copyOf(networks);
    }

    /**
     * Where and when the numbers were taken.
     *
     * @param cpuModel         the CPU's model name
     * @param natives          the libnd4j build that ran: {@code onednn-avx2}, {@code avx2} or {@code generic}
     * @param nativesChoice    why that build was chosen
     * @param dl4jHelpers      whether DL4J's own layers ran on their oneDNN helpers
     * @param nd4jThreads      ND4J's maximum threads (OpenMP)
     * @param allocator        the C allocator setting ({@code GLIBC_TUNABLES}, see {@code NativeMemory})
     * @param openmpWaitPolicy OpenMP's wait policy ({@code OMP_WAIT_POLICY}, see {@code ThreadWaiting})
     * @param openblasThreadTimeout how long idle OpenBLAS workers spin ({@code OPENBLAS_THREAD_TIMEOUT}, see
     *                         {@code ThreadWaiting})
     * @param loadAverageStart the system load average (1 min) before the run, -1 where unreadable
     * @param loadAverageEnd   the same after the run: a busy machine inflates every time
     */
    public record Provenance(String timestamp, String java, String os, String arch, int cpus, String cpuModel,
            String natives, String nativesChoice, boolean dl4jHelpers, int nd4jThreads, String nd4jBackend,
            long maxHeapBytes, String allocator, String javacppPhysicalCheck, String openmpWaitPolicy, String openblasThreadTimeout,
            double loadAverageStart,
            double loadAverageEnd) {
    }

    /**
     * The run's settings; {@code meetsProtocol} is false for shortened runs.
     *
     * @param warmups         untimed rounds at least
     * @param untilJitSettles whether the warm-up went on until the JVM's JIT compiler had settled
     * @param channelsLast    whether the networks were built and fed channels-last (NHWC, NDHWC)
     */
    public record Settings(int warmups, boolean untilJitSettles, int iterations, long seed, boolean meetsProtocol,
            Map<String, String> configs, boolean channelsLast) {
    }

    /**
     * How one phase's warm-up went.
     *
     * @param rounds         the untimed rounds run
     * @param jit            what the JIT compiler did during the warm-up
     * @param jitMillisTimed the JIT compiler's time during the timed rounds, -1 where the JVM does not report it
     */
    public record WarmUpResult(int rounds, Jit jit, long jitMillisTimed) {

        static WarmUpResult of(RoundRobin.Rounds rounds) {
            return new WarmUpResult(rounds.warmUpRounds(), rounds.jit(), rounds.jitMillisTimed());
        }
    }

    /** What the JIT compiler did during a warm-up ({@code WarmUp}). */
    public enum Jit {
        /** It compiled for at most 2% of the last 10 rounds' wall time. */
        SETTLED,
        /** It was still compiling more when the warm-up reached its time limit. */
        NOT_SETTLED,
        /** Not watched: a fixed number of rounds was asked for, or the JVM does not report compilation time. */
        NOT_WATCHED
    }

    /**
     * One network's results.
     *
     * @param trainingWarmUp  the warm-up before the training steps were timed
     * @param inferenceWarmUp the warm-up before inference was timed
     */
    public record NetworkResult(String network, int batch, Timing baseInference, List<MethodResult> methods,
            List<Skipped> skipped, WarmUpResult trainingWarmUp, WarmUpResult inferenceWarmUp) {
        public NetworkResult {
            methods = List.copyOf(methods);
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * One method on one network.
     *
     * @param paramsAfterMerge       parameters of the merged, unloaded network (= total for the baselines)
     * @param trainStepRatio         median over rounds of step / full fine-tuning's step; null without a full run
     * @param inference              the trained network as it is (adapters unmerged), on one batch
     * @param mergedInference        the merged, unloaded network; null for the baselines
     * @param adaptedToMerged        median over rounds of adapted / merged inference; null for the baselines
     * @param mergedMaxRelativeError largest {@code |merged - adapted| / max(1, |adapted|)} over one batch's outputs
     */
    public record MethodResult(String method, long trainableParams, long totalParams, long paramsAfterMerge,
            Timing trainStep, Double trainStepRatio, Timing inference, double inferenceRatio, Timing mergedInference,
            Double mergedInferenceRatio, Double adaptedToMerged, Double mergedMaxRelativeError, Memory memory) {
    }

    /** Median, minimum and maximum of the timed samples, and the samples in run order. */
    public record Timing(double medianMs, double minMs, double maxMs, double[] samplesMs) {

        static Timing of(double[] samples) {
            double[] sorted = samples.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            return new Timing(median, sorted[0], sorted[n - 1], samples.clone());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Timing t && Arrays.equals(samplesMs, t.samplesMs);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(samplesMs);
        }

        @Override
        public String toString() {
            return String.format("%.1f ms (median of %d)", medianMs, samplesMs.length);
        }
    }

    /**
     * Memory of one training step, read from ND4J and from the operating system.
     *
     * @param workspaceBytes    ND4J workspace capacity after two steps started from no workspaces
     *                          (activations, their gradients, working memory)
     * @param paramBytes        parameters
     * @param updaterStateBytes optimiser state (Adam: two values per trainable parameter)
     * @param pageFaultsPerStep minor page faults of a warm step, the fewest of three: fresh native memory the step
     *                          touched, 4 KiB a fault (see {@code NativeMemory}); -1 where the system does not
     *                          report them
     */
    public record Memory(long workspaceBytes, long paramBytes, long updaterStateBytes, long pageFaultsPerStep) {
    }

    /** A registered method that could not adapt the network's target layers. */
    public record Skipped(String method, String reason) {
    }

    /**
     * A goal of the speed protocol (docs/protocols.md) and whether this run met it.
     *
     * @param floor for a training step / full fine-tuning goal, the same ratio of the backward pass's floor
     *              ({@code backprop-floor}) in this run: no method adapting every target goes below it; null
     *              elsewhere or when the floor was not measured
     */
    public record Goal(String network, String method, String what, double target, double measured, boolean met,
            Double floor) {
    }

    /** The goals this run can judge. */
    public List<Goal> goals() {
        List<Goal> goals = new ArrayList<>();
        for (NetworkResult network : networks) {
            for (MethodResult m : network.methods()) {
                Double stepGoal = STEP_GOALS.getOrDefault(m.method(), Map.of()).get(network.network());
                if (stepGoal != null && m.trainStepRatio() != null) {
                    goals.add(goal(network, m, "training step / full fine-tuning", stepGoal, m.trainStepRatio(),
                            floorRatio(network)));
                }
                if (m.adaptedToMerged() != null) {
                    goals.add(goal(network, m, "adapted inference / merged inference", ADAPTED_GOAL, m.adaptedToMerged()));
                    goals.add(goal(network, m, "merged inference / base", MERGED_GOAL, m.mergedInferenceRatio()));
                }
                if (pytorch != null && PYTORCH_GOALS.containsKey(m.method())) {
                    double target = PYTORCH_GOALS.get(m.method());
                    pytorch.train(network.network(), m.method()).ifPresent(ms -> goals.add(goal(network, m,
                            "training step / PyTorch's", target, m.trainStep().medianMs() / ms)));
                }
            }
        }
        return goals;
    }

    private static Goal goal(NetworkResult network, MethodResult m, String what, double target, double measured) {
        return goal(network, m, what, target, measured, null);
    }

    private static Goal goal(NetworkResult network, MethodResult m, String what, double target, double measured,
            Double floor) {
        return new Goal(network.network(), m.method(), what, target, measured, measured <= target, floor);
    }

    private static Double floorRatio(NetworkResult network) {
        return network.methods().stream().filter(m -> m.method().equals(SpeedOptions.BACKPROP_FLOOR)).findFirst()
                .map(MethodResult::trainStepRatio).orElse(null);
    }
}
