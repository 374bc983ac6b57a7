package org.peft4j.bench.volumetric;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Mini-batches of a {@link VolumeSplit} for DL4J's {@code fit} and {@code evaluate}, built on
 * demand (only one float batch exists at a time). With a seed the order is shuffled, differently
 * but reproducibly in every epoch; without one it is the file order.
 */
public final class VolumeBatches implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    private final transient VolumeSplit split;
    private final int batchSize;
    private final int classes;
    private final Long seed;
    private final int[] order;
    private int epoch;
    private int cursor;
    private transient DataSetPreProcessor preProcessor;

    private VolumeBatches(VolumeSplit split, int batchSize, int classes, Long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (classes < split.classes()) {
            throw new IllegalArgumentException(split.name() + " has labels up to " + (split.classes() - 1) + " but only "
                    + classes + " classes were asked for");
        }
        this.split = split;
        this.batchSize = batchSize;
        this.classes = classes;
        this.seed = seed;
        this.order = new int[split.size()];
        reset();
    }

    /** Batches in file order. */
    public static VolumeBatches inOrder(VolumeSplit split, int batchSize, int classes) {
        return new VolumeBatches(split, batchSize, classes, null);
    }

    /** Batches in an order shuffled from {@code seed} and the epoch number. */
    public static VolumeBatches shuffled(VolumeSplit split, int batchSize, int classes, long seed) {
        return new VolumeBatches(split, batchSize, classes, seed);
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException(split.name() + ": no more batches in this epoch");
        }
        int end = Math.min(order.length, cursor + num);
        DataSet batch = split.batch(Arrays.copyOfRange(order, cursor, end), classes);
        cursor = end;
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    /** Starts the next epoch (a new shuffle when seeded). */
    @Override
    public void reset() {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (seed != null) {
            Random random = new Random(seed + 1_000_003L * epoch);
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        epoch++;
        cursor = 0;
    }

    @Override
    public int inputColumns() {
        int[] shape = split.shape();
        return shape[0] * shape[1] * shape[2];
    }

    @Override
    public int totalOutcomes() {
        return classes;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
