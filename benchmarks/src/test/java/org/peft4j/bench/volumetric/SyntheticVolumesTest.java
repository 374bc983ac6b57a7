package org.peft4j.bench.volumetric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SyntheticVolumesTest {

    @Test
    void theSameSeedGivesTheSameVolumesAndLabelsCycle() {
        VolumeSplit a = SyntheticVolumes.generate("a", 7, 12, 6, 3);
        VolumeSplit b = SyntheticVolumes.generate("b", 7, 12, 6, 3);
        assertThat(a.shape()).containsExactly(12, 12, 12);
        for (int i = 0; i < 7; i++) {
            assertThat(a.label(i)).isEqualTo(i % 6);
            assertThat(a.voxel(i, 5, 6, 7)).isEqualTo(b.voxel(i, 5, 6, 7));
        }
        assertThat(SyntheticVolumes.generate("c", 7, 12, 6, 4).voxel(0, 5, 6, 7)).isNotEqualTo(a.voxel(0, 5, 6, 7));
    }

    @Test
    void theClassIsTheOrgansElongationAxis() {
        int size = 24;
        VolumeSplit volumes = SyntheticVolumes.generate("axes", 30, size, 3, 9);
        for (int i = 0; i < volumes.size(); i++) {
            double[] spread = brightSpread(volumes, i, size);
            int longest = spread[0] > spread[1] ? (spread[0] > spread[2] ? 0 : 2) : (spread[1] > spread[2] ? 1 : 2);
            assertThat(longest).as("volume " + i).isEqualTo(volumes.label(i));
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> SyntheticVolumes.generate("x", 1, 16, 7, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1-6 classes");
    }

    /** Standard deviation of the positions of the organ's voxels (brightness >= 150) along each axis. */
    private static double[] brightSpread(VolumeSplit volumes, int i, int size) {
        double[] sum = new double[3];
        double[] squares = new double[3];
        int n = 0;
        for (int d = 0; d < size; d++) {
            for (int h = 0; h < size; h++) {
                for (int w = 0; w < size; w++) {
                    if (volumes.voxel(i, d, h, w) >= 150) {
                        int[] p = {d, h, w};
                        for (int a = 0; a < 3; a++) {
                            sum[a] += p[a];
                            squares[a] += p[a] * p[a];
                        }
                        n++;
                    }
                }
            }
        }
        double[] spread = new double[3];
        for (int a = 0; a < 3; a++) {
            spread[a] = squares[a] / n - (sum[a] / n) * (sum[a] / n);
        }
        return spread;
    }
}
