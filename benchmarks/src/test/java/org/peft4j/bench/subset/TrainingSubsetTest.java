package org.peft4j.bench.subset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class TrainingSubsetTest {

    //                               0  1  2  3  4  5  6  7  8  9
    private static final int[] LABELS = {2, 0, 1, 0, 2, 1, 0, 2, 1, 0};

    @Test
    void fullIsEveryIndexInFileOrder() {
        assertThat(TrainingSubset.parse("full").indices(LABELS, 3, null)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void balancedTakesTheFirstImagesOfEachClassInFileOrder() {
        // class 0 at 1, 3, 6, 9; class 1 at 2, 5, 8; class 2 at 0, 4, 7
        assertThat(new TrainingSubset.Balanced(2).indices(LABELS, 3, null)).containsExactly(1, 3, 2, 5, 0, 4);
        assertThat(TrainingSubset.parse("balanced:3").indices(LABELS, 3, null)).containsExactly(1, 3, 6, 2, 5, 8, 0, 4, 7);
        assertThat(TrainingSubset.parse("balanced")).isEqualTo(new TrainingSubset.Balanced(7754));
    }

    @Test
    void balancedFailsNamingTheShortClass() {
        assertThatThrownBy(() -> new TrainingSubset.Balanced(4).indices(LABELS, 3, null))
                .hasMessageContaining("needs 4 images of class 1 but the training set has 3");
    }

    @Test
    void distilledDropsTheMostUncertainAndKeepsTheNext() {
        double[] entropy = {0.5, 0.9, 0.1, 0.3, 0.7, 0.2, 0.9, 0.4, 0.6, 0.0};
        // class 0 (1, 3, 6, 9) by entropy desc, ties by index: 1 (0.9), 6 (0.9), 3 (0.3), 9 (0.0)
        // class 1 (2, 5, 8): 8 (0.6), 5 (0.2), 2 (0.1); class 2 (0, 4, 7): 4 (0.7), 0 (0.5), 7 (0.4)
        int[] chosen = new TrainingSubset.Distilled(1, 2).indices(LABELS, 3, entropy);
        assertThat(chosen).containsExactly(6, 3, 5, 2, 0, 7);
        assertThat(new TrainingSubset.Distilled(1, 2).indices(LABELS, 3, entropy)).containsExactly(chosen);
        assertThat(TrainingSubset.parse("distilled")).isEqualTo(new TrainingSubset.Distilled(10, 7040));
        assertThat(TrainingSubset.parse("distilled:1:2").describe()).isEqualTo("distilled:1:2");
    }

    @Test
    void distilledNeedsOneEntropyPerImage() {
        assertThatThrownBy(() -> new TrainingSubset.Distilled(0, 1).indices(LABELS, 3, new double[3]))
                .hasMessageContaining("10 images, 3 entropies");
        assertThatThrownBy(() -> TrainingSubset.parse("distilled:x:1")).hasMessageContaining("bad training subset");
        assertThatThrownBy(() -> TrainingSubset.parse("random")).hasMessageContaining("use full, balanced");
    }

    @Test
    void entropyOfHandPickedDistributions() {
        double[] h = PredictiveEntropy.of(Nd4j.create(new double[][] {{1, 0, 0}, {0.5, 0.5, 0}, {1 / 3.0, 1 / 3.0, 1 / 3.0}}));
        assertThat(h[0]).isEqualTo(0.0);
        assertThat(h[1]).isCloseTo(Math.log(2), within(1e-12));
        assertThat(h[2]).isCloseTo(Math.log(3), within(1e-12));
    }
}
