package org.peft4j.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RepartitionStrategy;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/** Builds the {@link PeftTrainingMaster} of a {@link SparkTraining}. */
final class TrainingMasters {

    private TrainingMasters() {
    }

    /**
     * A master that averages the updater state with the parameters (Adam's moments continue across averagings),
     * trains directly on the RDD (no export files under {@code hadoop.tmp.dir}) and gives every worker the same
     * number of minibatches per averaging round (DL4J's balanced repartitioning, a no-op when the data is balanced
     * already, and order-preserving for one worker). It leaves the training RDD's storage level alone (DL4J's
     * default persists it, which fails on an RDD the caller cached at another level): cache it yourself.
     */
    static PeftTrainingMaster of(SparkTraining training, JavaSparkContext sc) {
        ParameterAveragingTrainingMaster.Builder builder =
                new ParameterAveragingTrainingMaster.Builder(training.workers(), training.examplesPerDataSet())
                        .batchSizePerWorker(training.batchSizePerWorker())
                        .averagingFrequency(training.averagingFrequency())
                        .saveUpdater(true)
                        .workerPrefetchNumBatches(0)
                        .repartionData(Repartition.Always)
                        .repartitionStrategy(RepartitionStrategy.Balanced)
                        .rddTrainingApproach(RDDTrainingApproach.Direct)
                        .storageLevel(null)
                        .rngSeed(training.seed());
        return new PeftTrainingMaster(builder, sc);
    }
}
