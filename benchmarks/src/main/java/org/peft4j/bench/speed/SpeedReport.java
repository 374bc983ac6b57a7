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
public record SpeedReport(Provenance provenance, Settings settings, List<NetworkResult> networks) {

    /** Step-time goals of issue #3 for {@code colora}. */
    static final Map<String, Double> COLORA_STEP_GOAL = Map.of("vgg16-64", 0.75, "vgg-mini", 0.85);
    /** Merged inference at most 3% slower than the base network. */
    static final double MERGED_GOAL = 1.03;
    /** Adapted (unmerged) inference at most 1.3x the base network. */
    static final double ADAPTED_GOAL = 1.3;

    public SpeedReport {
        networks = List.copyOf(networks);
    }

    /**
     * Where and when the numbers were taken.
     *
     * @param loadAverageStart the system load average (1 min) before the run, -1 where unreadable
     * @param loadAverageEnd   the same after the run: a busy machine inflates every time
     */
    public record Provenance(String timestamp, String java, String os, String arch, int cpus, int nd4jThreads,
            String nd4jBackend, long maxHeapBytes, double loadAverageStart, double loadAverageEnd) {
    }

    /** The run's settings; {@code meetsProtocol} is false for shortened runs. */
    public record Settings(int warmups, int iterations, long seed, boolean meetsProtocol, Map<String, String> configs) {
    }

    /** One network's results. */
    public record NetworkResult(String network, int batch, Timing baseInference, List<MethodResult> methods,
            List<Skipped> skipped) {
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
     * @param mergedMaxRelativeError largest {@code |merged - adapted| / max(1, |adapted|)} over one batch's outputs
     */
    public record MethodResult(String method, long trainableParams, long totalParams, long paramsAfterMerge,
            Timing trainStep, Double trainStepRatio, Timing inference, double inferenceRatio, Timing mergedInference,
            Double mergedInferenceRatio, Double mergedMaxRelativeError, Memory memory) {
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
     * Memory of one training step, read from ND4J.
     *
     * @param workspaceBytes    ND4J workspace capacity after two steps started from no workspaces
     *                          (activations, their gradients, working memory)
     * @param paramBytes        parameters
     * @param updaterStateBytes optimiser state (Adam: two values per trainable parameter)
     */
    public record Memory(long workspaceBytes, long paramBytes, long updaterStateBytes) {
    }

    /** A registered method that could not adapt the network's target layers. */
    public record Skipped(String method, String reason) {
    }

    /** A goal of issue #3 and whether this run met it. */
    public record Goal(String network, String method, String what, double target, double measured, boolean met) {
    }

    /** The goals this run can judge. */
    public List<Goal> goals() {
        List<Goal> goals = new ArrayList<>();
        for (NetworkResult network : networks) {
            for (MethodResult m : network.methods()) {
                if ("colora".equals(m.method()) && m.trainStepRatio() != null
                        && COLORA_STEP_GOAL.containsKey(network.network())) {
                    double target = COLORA_STEP_GOAL.get(network.network());
                    goals.add(new Goal(network.network(), m.method(), "training step / full fine-tuning", target,
                            m.trainStepRatio(), m.trainStepRatio() <= target));
                }
                if (m.mergedInferenceRatio() != null) {
                    goals.add(new Goal(network.network(), m.method(), "merged inference / base", MERGED_GOAL,
                            m.mergedInferenceRatio(), m.mergedInferenceRatio() <= MERGED_GOAL));
                    goals.add(new Goal(network.network(), m.method(), "adapted inference / base", ADAPTED_GOAL,
                            m.inferenceRatio(), m.inferenceRatio() <= ADAPTED_GOAL));
                }
            }
        }
        return goals;
    }
}
