package org.peft4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SeedsTest {

    @Test
    void everySeedIncludingZeroReproducesItsDraws() {
        for (long seed : new long[] {0, 1, 42, -1}) {
            Seeds.seedNd4j(seed);
            INDArray first = Nd4j.rand(DataType.DOUBLE, 16);
            Seeds.seedNd4j(seed);
            assertThat(Nd4j.rand(DataType.DOUBLE, 16)).as("seed %d", seed).isEqualTo(first);
        }
    }

    @Test
    void onlyZeroIsReplaced() {
        assertThat(Seeds.nd4j(0)).isEqualTo(Long.MIN_VALUE);
        assertThat(Seeds.nd4j(1)).isEqualTo(1);
        assertThat(Seeds.nd4j(-5)).isEqualTo(-5);
        assertThat(Seeds.nd4j(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    }
}
