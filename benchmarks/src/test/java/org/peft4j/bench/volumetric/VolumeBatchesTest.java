package org.peft4j.bench.volumetric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

class VolumeBatchesTest {

    /** 7 volumes of [2, 2, 2]; volume i is filled with the value 10·i, label i % 3. */
    private static VolumeSplit split() {
        byte[] voxels = new byte[7 * 8];
        int[] labels = new int[7];
        for (int i = 0; i < 7; i++) {
            labels[i] = i % 3;
            for (int v = 0; v < 8; v++) {
                voxels[i * 8 + v] = (byte) (10 * i);
            }
        }
        return new VolumeSplit("toy", new int[] {2, 2, 2}, voxels, labels);
    }

    /** The volume indices of an epoch, read back from the batch features. */
    private static List<Integer> epoch(VolumeBatches batches) {
        List<Integer> seen = new ArrayList<>();
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            for (int b = 0; b < batch.numExamples(); b++) {
                seen.add((int) Math.round(batch.getFeatures().getDouble(b, 0, 1, 1, 1) * 255 / 10));
            }
        }
        return seen;
    }

    @Test
    void inOrderBatchesCoverTheSplitOnceWithALastPartialBatch() {
        VolumeBatches batches = VolumeBatches.inOrder(split(), 3, 3);
        assertThat(epoch(batches)).containsExactly(0, 1, 2, 3, 4, 5, 6);
        batches.reset();
        assertThat(batches.next().numExamples()).isEqualTo(3);
        assertThat(batches.totalOutcomes()).isEqualTo(3);
        assertThat(batches.inputColumns()).isEqualTo(8);
    }

    @Test
    void shuffledBatchesAreAPermutationThatChangesPerEpochAndRepeatsPerSeed() {
        VolumeBatches a = VolumeBatches.shuffled(split(), 2, 3, 11);
        VolumeBatches b = VolumeBatches.shuffled(split(), 2, 3, 11);
        List<Integer> first = epoch(a);
        assertThat(first).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
        assertThat(epoch(b)).isEqualTo(first);
        a.reset();
        assertThat(epoch(a)).isNotEqualTo(first).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
    }

    @Test
    void classRangesRelabelFromZero() {
        VolumeSplit target = split().classRange(1, 3);
        assertThat(target.size()).isEqualTo(4);
        assertThat(new int[] {target.label(0), target.label(1), target.label(2), target.label(3)})
                .containsExactly(0, 1, 0, 1);
        assertThat(target.voxel(1, 0, 0, 0)).isEqualTo(20);
        assertThat(target.classes()).isEqualTo(2);
    }

    @Test
    void tooFewClassesAndBadSplitsAreRefused() {
        assertThatThrownBy(() -> VolumeBatches.inOrder(split(), 2, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("toy has labels up to 2 but only 2 classes");
        assertThatThrownBy(() -> new VolumeSplit("bad", new int[] {2, 2, 2}, new byte[15], new int[] {0, 1}))
                .hasMessageContaining("15 voxels do not make 2 volumes of [2, 2, 2]");
        assertThatThrownBy(() -> new VolumeSplit("neg", new int[] {1, 1, 1}, new byte[1], new int[] {-1}))
                .hasMessageContaining("label 0 is negative");
    }
}
