package org.peft4j.spark;

/**
 * How {@link SparkPeft} trains: DL4J's parameter averaging settings and the driver-side merge interval.
 *
 * @param workers            how many workers train in parallel between two averagings (usually the executor cores)
 * @param batchSizePerWorker examples in one worker minibatch
 * @param averagingFrequency minibatches each worker trains on between two averagings; with one worker and at
 *                           least as many as there are minibatches in the data, an epoch is one averaging and
 *                           training equals single-machine {@code fit}
 * @param examplesPerDataSet examples in each {@code DataSet} of the training RDD (DL4J re-batches them to
 *                           {@code batchSizePerWorker})
 * @param mergeEveryEpochs   merge every adapter into its frozen weights on the driver after every this-many epochs,
 *                           as {@link org.peft4j.MergeEveryEpochs} does on one machine; 0 never merges
 * @param seed               seed of the random split of the data into averaging rounds
 */
public record SparkTraining(int workers, int batchSizePerWorker, int averagingFrequency, int examplesPerDataSet,
        int mergeEveryEpochs, long seed) {

    public SparkTraining {
        positive("workers", workers);
        positive("batchSizePerWorker", batchSizePerWorker);
        positive("averagingFrequency", averagingFrequency);
        positive("examplesPerDataSet", examplesPerDataSet);
        if (mergeEveryEpochs < 0) {
            throw new IllegalArgumentException("mergeEveryEpochs must be >= 0 (0: never merge), got " + mergeEveryEpochs);
        }
    }

    /**
     * {@code workers} workers, minibatches of {@code batchSizePerWorker} examples (also the size of each RDD
     * {@code DataSet}), averaging every 5 minibatches, no merge, seed 12345.
     */
    public static SparkTraining of(int workers, int batchSizePerWorker) {
        return new SparkTraining(workers, batchSizePerWorker, 5, batchSizePerWorker, 0, 12345L);
    }

    public SparkTraining withAveragingFrequency(int minibatches) {
        return new SparkTraining(workers, batchSizePerWorker, minibatches, examplesPerDataSet, mergeEveryEpochs, seed);
    }

    public SparkTraining withExamplesPerDataSet(int examples) {
        return new SparkTraining(workers, batchSizePerWorker, averagingFrequency, examples, mergeEveryEpochs, seed);
    }

    public SparkTraining withMergeEveryEpochs(int epochs) {
        return new SparkTraining(workers, batchSizePerWorker, averagingFrequency, examplesPerDataSet, epochs, seed);
    }

    public SparkTraining withSeed(long newSeed) {
        return new SparkTraining(workers, batchSizePerWorker, averagingFrequency, examplesPerDataSet, mergeEveryEpochs,
                newSeed);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("SparkTraining " + name + " must be >= 1, got " + value);
        }
    }
}
