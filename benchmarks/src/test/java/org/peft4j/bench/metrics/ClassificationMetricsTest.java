package org.peft4j.bench.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.ROCMultiClass;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every expected value below was computed by hand from the confusion matrix and Mann-Whitney pair counts. */
class ClassificationMetricsTest {

    private static final List<String> ABC = List.of("a", "b", "c");
    private static final int[] LABELS = {0, 0, 0, 1, 1, 2, 2, 2};
    private static final double[][] PROBS = {
        {0.7, 0.2, 0.1}, {0.5, 0.3, 0.2}, {0.2, 0.6, 0.2}, {0.1, 0.8, 0.1},
        {0.3, 0.3, 0.4}, {0.1, 0.1, 0.8}, {0.6, 0.1, 0.3}, {0.2, 0.2, 0.6}};

    @Test
    void handComputedThreeClassCase() {
        ClassificationMetrics m = ClassificationMetrics.of(LABELS, Nd4j.create(PROBS), ABC);
        assertThat(m.confusion()).isDeepEqualTo(new long[][] {{2, 1, 0}, {0, 1, 1}, {1, 0, 2}});
        assertThat(m.accuracy()).isEqualTo(5.0 / 8);
        assertThat(m.recall()).containsExactly(new double[] {2.0 / 3, 0.5, 2.0 / 3}, within(1e-12));
        assertThat(m.precision()).containsExactly(new double[] {2.0 / 3, 0.5, 2.0 / 3}, within(1e-12));
        assertThat(m.specificity()).containsExactly(new double[] {4.0 / 5, 5.0 / 6, 4.0 / 5}, within(1e-12));
        // pairs (positive above negative, ties count half): 11.5 of 15, 10.5 of 12, 14 of 15
        assertThat(m.auc()).containsExactly(new double[] {11.5 / 15, 10.5 / 12, 14.0 / 15}, within(1e-12));
        assertThat(m.macroAuc()).isCloseTo((11.5 / 15 + 10.5 / 12 + 14.0 / 15) / 3, within(1e-12));
        assertThat(m.count()).isEqualTo(8);
    }

    @Test
    void rocCurvePointsStepThroughTiedScoresTogether() {
        RocCurve b = ClassificationMetrics.of(LABELS, Nd4j.create(PROBS), ABC).roc().get(1);
        // class b scores, descending: 0.8 P | 0.6 N | 0.3 P,N | 0.2 N,N | 0.1 N,N ; 2 positives, 6 negatives
        assertThat(b.fpr()).containsExactly(new double[] {0, 0, 1.0 / 6, 2.0 / 6, 4.0 / 6, 1}, within(1e-12));
        assertThat(b.tpr()).containsExactly(new double[] {0, 0.5, 0.5, 1, 1, 1}, within(1e-12));
    }

    @Test
    void aucDoesNotDependOnRowOrderWhenScoresTie() {
        double[] scores = {0.9, 0.5, 0.5, 0.2};
        assertThat(RocCurve.of(scores, new boolean[] {true, true, false, false}).auc()).isEqualTo(0.875);
        assertThat(RocCurve.of(scores, new boolean[] {true, false, true, false}).auc()).isEqualTo(0.875);
    }

    @Test
    void undefinedRatiosAreNaN() {
        INDArray probs = Nd4j.create(new double[][] {{0.8, 0.1, 0.1}, {0.6, 0.3, 0.1}, {0.7, 0.2, 0.1}});
        ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 0, 1}, probs, ABC);
        assertThat(m.recall()[2]).isNaN();      // no example of c
        assertThat(m.precision()[1]).isNaN();   // nothing predicted as b
        assertThat(m.precision()[0]).isEqualTo(2.0 / 3);
        assertThat(m.specificity()[0]).isEqualTo(0.0); // the one negative was predicted a
        assertThat(m.auc()[2]).isNaN();
        // class a: positives 0.8, 0.6 vs negative 0.7 -> 1 of 2; class b: positive 0.2 vs 0.1, 0.3 -> 1 of 2
        assertThat(m.macroAuc()).isEqualTo(0.5);
    }

    @Test
    void agreesWithDl4jRocMultiClassWithoutTies() {
        Random random = new Random(7);
        int n = 300;
        int[] labels = new int[n];
        double[][] probs = new double[n][4];
        double[][] oneHot = new double[n][4];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(4);
            oneHot[i][labels[i]] = 1;
            double sum = 0;
            for (int c = 0; c < 4; c++) {
                probs[i][c] = random.nextDouble() + (c == labels[i] ? 0.7 : 0);
                sum += probs[i][c];
            }
            for (int c = 0; c < 4; c++) {
                probs[i][c] /= sum;
            }
        }
        ClassificationMetrics ours = ClassificationMetrics.of(labels, Nd4j.create(probs), List.of("0", "1", "2", "3"));
        ROCMultiClass dl4j = new ROCMultiClass(0);
        dl4j.eval(Nd4j.create(oneHot), Nd4j.create(probs));
        for (int c = 0; c < 4; c++) {
            assertThat(ours.auc()[c]).isCloseTo(dl4j.calculateAUC(c), within(1e-9));
        }
        assertThat(ours.macroAuc()).isCloseTo(dl4j.calculateAverageAUC(), within(1e-9));
    }
}
