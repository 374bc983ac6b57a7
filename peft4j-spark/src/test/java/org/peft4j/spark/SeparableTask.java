package org.peft4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A linearly separable two-class task on features of any shape: the class is the sign of a fixed random projection
 * of the features, with a margin (examples near the boundary are dropped).
 */
final class SeparableTask {

    private final long[] featureShape;
    private final INDArray direction;

    /** @param featureShape the shape of one example, e.g. {@code {16}} or {@code {1, 6, 6}} */
    SeparableTask(long seed, long... featureShape) {
        this.featureShape = featureShape.clone();
        Nd4j.getRandom().setSeed(seed);
        long size = 1;
        for (long d : featureShape) {
            size *= d;
        }
        this.direction = Nd4j.randn(DataType.FLOAT, size, 1);
    }

    /** {@code batches} minibatches of {@code batchSize} examples, from {@code seed}. */
    List<DataSet> batches(int batches, int batchSize, long seed) {
        Nd4j.getRandom().setSeed(seed);
        long size = direction.length();
        List<DataSet> out = new ArrayList<>();
        while (out.size() < batches) {
            INDArray x = Nd4j.randn(DataType.FLOAT, batchSize * 2L, size);
            INDArray score = x.mmul(direction).divi(Math.sqrt(size));
            List<Integer> kept = new ArrayList<>();
            for (int i = 0; i < score.length() && kept.size() < batchSize; i++) {
                if (Math.abs(score.getDouble(i)) > 0.25) {
                    kept.add(i);
                }
            }
            if (kept.size() < batchSize) {
                continue;
            }
            int[] rows = kept.stream().mapToInt(Integer::intValue).toArray();
            INDArray features = x.getRows(rows);
            INDArray positive = score.getRows(rows).gt(0).castTo(DataType.FLOAT);
            INDArray labels = Nd4j.hstack(positive.rsub(1.0f), positive);
            out.add(new DataSet(features.reshape(shape(batchSize)), labels));
        }
        return out;
    }

    /** Fraction of examples {@code network} classifies right. */
    static double accuracy(Model network, List<DataSet> batches) {
        long right = 0;
        long total = 0;
        for (DataSet batch : batches) {
            INDArray out = network instanceof MultiLayerNetwork mln ? mln.output(batch.getFeatures())
                    : ((ComputationGraph) network).outputSingle(batch.getFeatures());
            INDArray predicted = out.argMax(1);
            INDArray actual = batch.getLabels().argMax(1);
            right += predicted.eq(actual).castTo(DataType.INT).sumNumber().longValue();
            total += batch.numExamples();
        }
        return (double) right / total;
    }

    /** Single-machine training: {@code epochs} passes over {@code batches} in order. */
    static void fitLocally(Model network, List<DataSet> batches, int epochs) {
        ExistingDataSetIterator iterator = new ExistingDataSetIterator(batches);
        if (network instanceof MultiLayerNetwork mln) {
            mln.fit(iterator, epochs);
        } else {
            ((ComputationGraph) network).fit(iterator, epochs);
        }
    }

    private long[] shape(int batchSize) {
        long[] shape = new long[featureShape.length + 1];
        shape[0] = batchSize;
        System.arraycopy(featureShape, 0, shape, 1, featureShape.length);
        return shape;
    }

}
