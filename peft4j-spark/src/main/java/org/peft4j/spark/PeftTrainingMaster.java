package org.peft4j.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;

/**
 * DL4J's parameter averaging, with three corrections.
 * <ul>
 *   <li><b>Frozen weights stay bit-identical.</b> The workers never change them (NoOp updater, zero gradient), but
 *       averaging sums the workers' copies and divides, and {@code (w + w + w) / 3} need not be {@code w} in
 *       floating point. After each averaging the driver's own frozen values, copied just before it, are written
 *       back ({@link FrozenParameters}).</li>
 *   <li><b>The iteration count is the number of updater steps taken.</b> DL4J adds {@code averagingFrequency} per
 *       averaging whatever the workers did; this master adds the minibatches a worker really trained on
 *       ({@link WorkerSteps}), so Adam's bias correction and iteration schedules continue as on one machine.</li>
 *   <li><b>Workers start from the driver's iteration count.</b> DL4J loses it for a ComputationGraph
 *       ({@link PeftTrainingWorker}).</li>
 * </ul>
 * Everything else (splitting, repartitioning, broadcasting, the averaging of trainable parameters and updater
 * state) is DL4J's.
 */
final class PeftTrainingMaster extends ParameterAveragingTrainingMaster {

    private final transient WorkerSteps steps;

    PeftTrainingMaster(Builder builder, JavaSparkContext sc) {
        super(builder);
        this.steps = new WorkerSteps(sc);
        addHook(steps);
    }

    @Override
    public ParameterAveragingTrainingWorker getWorkerInstance(SparkDl4jMultiLayer network) {
        MultiLayerNetwork net = network.getNetwork();
        NetBroadcastTuple tuple = new NetBroadcastTuple(net.getLayerWiseConfigurations(), net.params(),
                net.getUpdater().getStateViewArray());
        return worker(network.getSparkContext().broadcast(tuple), false);
    }

    @Override
    public ParameterAveragingTrainingWorker getWorkerInstance(SparkComputationGraph graph) {
        ComputationGraph net = graph.getNetwork();
        NetBroadcastTuple tuple = new NetBroadcastTuple(net.getConfiguration(), net.params(),
                net.getUpdater().getStateViewArray());
        return worker(graph.getSparkContext().broadcast(tuple), true);
    }

    /** As DL4J's master makes its workers (without training statistics, which this master never collects). */
    private ParameterAveragingTrainingWorker worker(Broadcast<NetBroadcastTuple> broadcast, boolean graph) {
        WorkerConfiguration configuration = new WorkerConfiguration(graph, rddDataSetNumExamples, batchSizePerWorker,
                averagingFrequency, prefetchNumBatches, false);
        return new PeftTrainingWorker(broadcast, saveUpdater, configuration, trainingHookList, listeners,
                getRouterProvider());
    }

    @Override
    protected void processResults(SparkDl4jMultiLayer network, SparkComputationGraph graph,
            JavaRDD<ParameterAveragingTrainingResult> results, int splitNum, int totalSplits) {
        Model model = network != null ? network.getNetwork() : graph.getNetwork();
        IterationCount iterations = IterationCount.of(model);
        long before = iterations.get();
        FrozenParameters.Snapshot frozen = FrozenParameters.of(model).snapshot();
        steps.reset();
        super.processResults(network, graph, results, splitNum, totalSplits);
        frozen.restore();
        if (steps.workers() > 0) {
            iterations.set(before + steps.meanStepsPerWorker());
        }
    }
}
