package org.peft4j.bench.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * One class's one-vs-rest ROC curve and its area, with ties handled exactly: examples with equal
 * scores enter the curve together (one diagonal step), so the area equals the Mann-Whitney
 * probability {@code P(score_pos > score_neg) + P(score_pos = score_neg) / 2}.
 *
 * <p>DL4J's exact {@code ROCMultiClass} is not used here: it steps through tied scores one example
 * at a time in sort order, so its AUC depends on the order of the examples (measured on
 * 1.0.0-M2.1: a case whose true AUC is 0.875 gave 1.0 or 0.75 depending on the row order). Softmax
 * outputs saturate to exactly 1.0 in float, so ties are common on well-trained networks.
 *
 * @param fpr false positive rates, from 0 to 1, one point per distinct score (plus the origin)
 * @param tpr true positive rates at the same thresholds
 * @param auc the area under the curve (trapezoids); NaN when the class has no positive or no negative example
 */
public record RocCurve(double[] fpr, double[] tpr, double auc) {

    public RocCurve {
        fpr = fpr.clone();
        tpr = tpr.clone();
        if (fpr.length != tpr.length) {
            throw new IllegalArgumentException("fpr has " + fpr.length + " points but tpr has " + tpr.length);
        }
    }

    /**
     * The curve of {@code scores} (higher = more likely positive) against {@code positive}.
     *
     * @param scores   one score per example
     * @param positive true where the example belongs to the class
     */
    public static RocCurve of(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + positive.length + " labels");
        }
        long positives = IntStream.range(0, positive.length).filter(i -> positive[i]).count();
        long negatives = positive.length - positives;
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        double[] fpr = new double[scores.length + 1];
        double[] tpr = new double[scores.length + 1];
        int points = 1;
        long tp = 0;
        long fp = 0;
        double area = 0;
        int i = 0;
        while (i < order.length) {
            long groupTp = 0;
            long groupFp = 0;
            double score = scores[order[i]];
            while (i < order.length && Double.compare(scores[order[i]], score) == 0) {
                if (positive[order[i]]) {
                    groupTp++;
                } else {
                    groupFp++;
                }
                i++;
            }
            // trapezoid over this group: width groupFp, heights tp and tp + groupTp
            area += groupFp * (tp + groupTp / 2.0);
            tp += groupTp;
            fp += groupFp;
            fpr[points] = negatives == 0 ? Double.NaN : (double) fp / negatives;
            tpr[points] = positives == 0 ? Double.NaN : (double) tp / positives;
            points++;
        }
        double auc = positives == 0 || negatives == 0 ? Double.NaN : area / ((double) positives * negatives);
        return new RocCurve(Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points), auc);
    }

    /**
     * At most {@code maxPoints} points, evenly spaced along the curve, the first and last kept (for
     * storage and plots); the area is not recomputed.
     */
    public RocCurve thinned(int maxPoints) {
        if (maxPoints < 2) {
            throw new IllegalArgumentException("a curve needs at least 2 points, got " + maxPoints);
        }
        if (fpr.length <= maxPoints) {
            return this;
        }
        double[] x = new double[maxPoints];
        double[] y = new double[maxPoints];
        for (int i = 0; i < maxPoints; i++) {
            int from = (int) Math.round(i * (fpr.length - 1) / (double) (maxPoints - 1));
            x[i] = fpr[from];
            y[i] = tpr[from];
        }
        return new RocCurve(x, y, auc);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RocCurve r && Arrays.equals(fpr, r.fpr) && Arrays.equals(tpr, r.tpr)
                && Double.compare(auc, r.auc) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(fpr) + Arrays.hashCode(tpr)) + Double.hashCode(auc);
    }

    @Override
    public String toString() {
        return "RocCurve{points=" + fpr.length + ", auc=" + auc + "}";
    }
}
