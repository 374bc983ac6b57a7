package org.peft4j.spark;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The driver-side merge schedule: after every {@code every}-th epoch, by the network's own epoch count (as
 * {@link org.peft4j.MergeEveryEpochs} counts, so a resumed network merges after the same epochs), merge.
 */
final class EpochMerges {

    private final int every;
    private final Runnable merge;

    /** @param every merge after every this-many epochs; 0 never merges */
    EpochMerges(int every, Runnable merge) {
        this.every = every;
        this.merge = merge;
    }

    /** Called after DL4J counted the epoch that just ended. */
    void epochEnded(Model network) {
        if (every > 0 && epochCount(network) % every == 0) {
            merge.run();
        }
    }

    private static int epochCount(Model network) {
        if (network instanceof MultiLayerNetwork mln) {
            return mln.getEpochCount();
        }
        return ((ComputationGraph) network).getEpochCount();
    }
}
