package org.peft4j.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void quartilesInterpolateLikeNumpy() {
        // numpy.percentile([1, 2, 4, 7, 9], [25, 50, 75]) = [2, 4, 7]; of [1, 2, 4, 7] = [1.75, 3, 4.75]
        Spread five = Spread.of(9, 1, 4, 2, 7);
        assertThat(new double[] {five.min(), five.q1(), five.median(), five.q3(), five.max()})
                .containsExactly(1, 2, 4, 7, 9);
        Spread four = Spread.of(1, 2, 4, 7);
        assertThat(new double[] {four.q1(), four.median(), four.q3()}).containsExactly(1.75, 3, 4.75);
        assertThat(four.mean()).isEqualTo(3.5);
        // sample sd: squares of deviations 6.25 + 2.25 + 0.25 + 12.25 = 21, / 3 = 7
        assertThat(four.sd()).isCloseTo(Math.sqrt(7), within(1e-12));
        assertThat(four.meanSd(2)).isEqualTo("3.50 ± 2.65");
    }

    @Test
    void nanIsIgnoredAndNothingIsNotApplicable() {
        assertThat(Spread.of(Double.NaN, 2).meanSd(1)).isEqualTo("2.0");
        assertThat(Spread.of(Double.NaN).meanSd(1)).isEqualTo("n/a");
    }
}
