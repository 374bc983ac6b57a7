package org.peft4j.bench.train;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.bench.data.LabeledImages;
import org.peft4j.bench.metrics.ClassificationMetrics;

/**
 * A network's predictions on a data set, with the mean cross-entropy loss
 * {@code -mean_i log p_i[label_i]} (no regularisation term) and the paper's metrics.
 *
 * @param loss          mean cross-entropy of the true classes
 * @param probabilities {@code [N, classes]} softmax outputs, row i for image i
 * @param metrics       confusion matrix, per-class metrics, ROC curves
 */
public record Predictions(double loss, INDArray probabilities, ClassificationMetrics metrics) {

    private static final double FLOOR = 1e-12;

    /** Evaluates {@code network} on every image of {@code images} in order. */
    public static Predictions of(ClassifierNetwork network, LabeledImages images, InputSpec input, int batchSize) {
        return of(probabilities(network, images, input, batchSize), images);
    }

    /** The metrics of given probabilities. */
    public static Predictions of(INDArray probabilities, LabeledImages images) {
        int[] labels = images.labels();
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            sum -= Math.log(Math.max(FLOOR, probabilities.getDouble(i, labels[i])));
        }
        return new Predictions(sum / labels.length, probabilities,
                ClassificationMetrics.of(labels, probabilities, images.classNames()));
    }

    /** Softmax outputs {@code [N, classes]} of {@code network} for every image, in order. */
    public static INDArray probabilities(ClassifierNetwork network, LabeledImages images, InputSpec input, int batchSize) {
        List<INDArray> parts = new ArrayList<>();
        ImageBatches batches = ImageBatches.inOrder(images, input, batchSize);
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            parts.add(network.output(batch.getFeatures()).castTo(DataType.DOUBLE));
        }
        return Nd4j.vstack(parts.toArray(INDArray[]::new));
    }
}
