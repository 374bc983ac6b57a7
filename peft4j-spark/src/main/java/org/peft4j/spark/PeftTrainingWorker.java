package org.peft4j.spark;

import java.util.Collection;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.core.storage.StatsStorageRouterProvider;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;

/**
 * DL4J's parameter averaging worker, whose network starts from the driver's iteration and epoch counts.
 * DL4J builds the worker's network from a {@code clone()} of the broadcast configuration, and
 * {@code ComputationGraphConfiguration.clone()} drops both counts: every averaging round of a ComputationGraph
 * restarted Adam's bias correction (and iteration schedules) from iteration 0. The counts are copied from the
 * broadcast configuration here, for both network kinds.
 */
final class PeftTrainingWorker extends ParameterAveragingTrainingWorker {

    private static final long serialVersionUID = 1L;

    private final Broadcast<NetBroadcastTuple> broadcast;

    PeftTrainingWorker(Broadcast<NetBroadcastTuple> broadcast, boolean saveUpdater, WorkerConfiguration configuration,
            Collection<TrainingHook> trainingHooks, Collection<TrainingListener> listeners,
            StatsStorageRouterProvider routerProvider) {
        super(broadcast, saveUpdater, configuration, trainingHooks, listeners, routerProvider);
        this.broadcast = broadcast;
    }

    @Override
    public MultiLayerNetwork getInitialModel() {
        MultiLayerNetwork network = super.getInitialModel();
        var sent = broadcast.getValue().getConfiguration();
        network.getLayerWiseConfigurations().setIterationCount(sent.getIterationCount());
        network.getLayerWiseConfigurations().setEpochCount(sent.getEpochCount());
        return network;
    }

    @Override
    public ComputationGraph getInitialModelGraph() {
        ComputationGraph graph = super.getInitialModelGraph();
        var sent = broadcast.getValue().getGraphConfiguration();
        graph.getConfiguration().setIterationCount(sent.getIterationCount());
        graph.getConfiguration().setEpochCount(sent.getEpochCount());
        return graph;
    }
}
