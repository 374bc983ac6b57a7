package org.peft4j.bench.metrics;

import java.util.Arrays;
import java.util.List;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The metrics of the CoLoRA paper for one model on one data set (paper eq. 20-23, per class
 * {@code c} one-vs-rest with TP, FP, TN, FN counted from the confusion matrix):
 * <pre>
 *   recall_c      = TP / (TP + FN)
 *   precision_c   = TP / (TP + FP)
 *   specificity_c = TN / (TN + FP)
 *   accuracy      = correct / all  (over every class)
 * </pre>
 * and each class's one-vs-rest ROC curve and AUC with their macro average. A ratio whose
 * denominator is zero is NaN. The confusion matrix, recall, precision and false-positive rate come
 * from DL4J's {@link Evaluation}; the ROC curves from {@link RocCurve} (see there why not DL4J's).
 *
 * @param classNames  class names, index = label
 * @param confusion   {@code confusion[actual][predicted]} counts; the prediction is the arg-max
 * @param accuracy    share of correct predictions
 * @param recall      per class
 * @param precision   per class
 * @param specificity per class
 * @param roc         per class one-vs-rest ROC curve with its AUC
 */
public record ClassificationMetrics(List<String> classNames, long[][] confusion, double accuracy, double[] recall,
        double[] precision, double[] specificity, List<RocCurve> roc) {

    public ClassificationMetrics {
        classNames = List.copyOf(classNames);
        confusion = Arrays.stream(confusion).map(long[]::clone).toArray(long[][]::new);
        recall = recall.clone();
        precision = precision.clone();
        specificity = specificity.clone();
        roc = List.copyOf(roc);
    }

    /**
     * Metrics of predicted class probabilities against true labels.
     *
     * @param labels        true labels, each in {@code [0, classNames.size())}
     * @param probabilities {@code [N, C]} class scores (softmax outputs), row i for example i
     */
    public static ClassificationMetrics of(int[] labels, INDArray probabilities, List<String> classNames) {
        int classes = classNames.size();
        if (probabilities.rank() != 2 || probabilities.size(0) != labels.length || probabilities.size(1) != classes) {
            throw new IllegalArgumentException("probabilities have shape " + Arrays.toString(probabilities.shape())
                    + ", expected [" + labels.length + ", " + classes + "]");
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("no examples to evaluate");
        }
        INDArray oneHot = Nd4j.zeros(DataType.DOUBLE, labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i + " is outside [0, " + classes + ")");
            }
            oneHot.putScalar(i, labels[i], 1.0);
        }
        INDArray scores = probabilities.castTo(DataType.DOUBLE);
        Evaluation evaluation = new Evaluation(classNames);
        evaluation.eval(oneHot, scores);
        long[][] confusion = new long[classes][classes];
        double[] recall = new double[classes];
        double[] precision = new double[classes];
        double[] specificity = new double[classes];
        RocCurve[] roc = new RocCurve[classes];
        double[][] byClass = scores.transpose().toDoubleMatrix();
        for (int c = 0; c < classes; c++) {
            for (int p = 0; p < classes; p++) {
                confusion[c][p] = evaluation.getConfusionMatrix().getCount(c, p);
            }
            recall[c] = evaluation.recall(c, Double.NaN);
            precision[c] = evaluation.precision(c, Double.NaN);
            specificity[c] = 1.0 - evaluation.falsePositiveRate(c, Double.NaN);
            boolean[] positive = new boolean[labels.length];
            for (int i = 0; i < labels.length; i++) {
                positive[i] = labels[i] == c;
            }
            roc[c] = RocCurve.of(byClass[c], positive);
        }
        return new ClassificationMetrics(classNames, confusion, evaluation.accuracy(), recall, precision, specificity,
                List.of(roc));
    }

    /** Per class AUC. */
    public double[] auc() {
        return roc.stream().mapToDouble(RocCurve::auc).toArray();
    }

    /** Macro average of the per-class AUCs (NaN classes excluded; NaN when all are NaN). */
    public double macroAuc() {
        return Arrays.stream(auc()).filter(a -> !Double.isNaN(a)).average().orElse(Double.NaN);
    }

    /** Number of examples. */
    public long count() {
        return Arrays.stream(confusion).flatMapToLong(Arrays::stream).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassificationMetrics m && classNames.equals(m.classNames)
                && Arrays.deepEquals(confusion, m.confusion) && Double.compare(accuracy, m.accuracy) == 0
                && Arrays.equals(recall, m.recall) && Arrays.equals(precision, m.precision)
                && Arrays.equals(specificity, m.specificity) && roc.equals(m.roc);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(confusion) * 31 + classNames.hashCode();
    }

    @Override
    public String toString() {
        return String.format("ClassificationMetrics{n=%d, accuracy=%.4f, macroAuc=%.4f}", count(), accuracy, macroAuc());
    }
}
