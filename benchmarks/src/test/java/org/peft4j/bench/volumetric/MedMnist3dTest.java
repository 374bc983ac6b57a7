package org.peft4j.bench.volumetric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.peft4j.bench.data.DataFileException;
import org.peft4j.bench.data.NpzWriter;

class MedMnist3dTest {

    private static final long[] COUNTS = {5, 2, 3};

    @TempDir
    Path temp;

    /** Voxel value of volume i of a split at (d, h, w): distinct enough to catch any reordering. */
    private static int voxel(int split, int i, int d, int h, int w) {
        return (split * 61 + i * 31 + d * 17 + h * 7 + w * 3) & 0xff;
    }

    /** A file in the MedMNIST 3D layout: volumes [N, 4, 3, 5], labels [N, 1] int64 (label = (i + split) % 3). */
    private Path medmnist(String name, int[] shape, boolean compressed) throws IOException {
        NpzWriter npz = new NpzWriter();
        String[] splits = {"train", "val", "test"};
        for (int s = 0; s < 3; s++) {
            int n = (int) COUNTS[s];
            byte[] voxels = new byte[n * shape[0] * shape[1] * shape[2]];
            long[] labels = new long[n];
            int k = 0;
            for (int i = 0; i < n; i++) {
                labels[i] = (i + s) % 3;
                for (int d = 0; d < shape[0]; d++) {
                    for (int h = 0; h < shape[1]; h++) {
                        for (int w = 0; w < shape[2]; w++) {
                            voxels[k++] = (byte) voxel(s, i, d, h, w);
                        }
                    }
                }
            }
            npz.uint8(splits[s] + "_images", new long[] {n, shape[0], shape[1], shape[2]}, voxels);
            npz.int64(splits[s] + "_labels", new long[] {n, 1}, labels);
        }
        return npz.write(temp.resolve(name), compressed);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsEverySplitOfStoredAndCompressedFiles(boolean compressed) throws IOException {
        try (MedMnist3d file = MedMnist3d.open(medmnist("organmnist3d.npz", new int[] {4, 3, 5}, compressed))) {
            assertThat(file.volumeShape()).containsExactly(4, 3, 5);
            assertThat(file.size(MedMnist3d.Split.TRAIN)).isEqualTo(5);
            assertThat(file.size(MedMnist3d.Split.TEST)).isEqualTo(3);
            assertThat(file.classes()).isEqualTo(3);
            VolumeSplit val = file.read(MedMnist3d.Split.VAL);
            assertThat(val.size()).isEqualTo(2);
            assertThat(val.label(1)).isEqualTo((1 + 1) % 3);
            assertThat(val.voxel(1, 3, 2, 4)).isEqualTo(voxel(1, 1, 3, 2, 4));
            assertThat(val.name()).isEqualTo("organmnist3d.npz:val");
        }
    }

    @Test
    void batchesAreOneChannelNcdhwScaledToUnitRangeWithOneHotLabels() throws IOException {
        try (MedMnist3d file = MedMnist3d.open(medmnist("m.npz", new int[] {4, 3, 5}, true))) {
            DataSet batch = file.read(MedMnist3d.Split.TRAIN, 1, 4).batch(new int[] {3, 0}, 4);
            INDArray x = batch.getFeatures();
            assertThat(x.shape()).containsExactly(2, 1, 4, 3, 5);
            assertThat(x.getDouble(0, 0, 2, 1, 3)).isCloseTo(voxel(0, 4, 2, 1, 3) / 255.0, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(x.getDouble(1, 0, 0, 2, 1)).isCloseTo(voxel(0, 1, 0, 2, 1) / 255.0, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(batch.getLabels().toDoubleMatrix()).isDeepEqualTo(new double[][] {{0, 1, 0, 0}, {0, 1, 0, 0}});
        }
    }

    @Test
    void readsMedMnistPlus64CubedVolumes() throws IOException {
        try (MedMnist3d file = MedMnist3d.open(medmnist("organmnist3d_64.npz", new int[] {64, 64, 64}, true))) {
            assertThat(file.volumeShape()).containsExactly(64, 64, 64);
            VolumeSplit test = file.read(MedMnist3d.Split.TEST);
            assertThat(test.voxel(2, 63, 10, 63)).isEqualTo(voxel(2, 2, 63, 10, 63));
        }
    }

    @Test
    void aTwoDimensionalMedMnistFileIsNamedAsSuch() throws IOException {
        NpzWriter npz = new NpzWriter();
        for (String split : new String[] {"train", "val", "test"}) {
            npz.uint8(split + "_images", new long[] {2, 28, 28}, new byte[2 * 28 * 28]);
            npz.int64(split + "_labels", new long[] {2, 1}, new long[] {0, 1});
        }
        Path file = npz.write(temp.resolve("octmnist.npz"), true);
        assertThatThrownBy(() -> MedMnist3d.open(file)).isInstanceOf(DataFileException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("train_images has shape [2, 28, 28]")
                .hasMessageContaining("2D MedMNIST file");
    }

    @Test
    void missingArraysAreListedWithTheOnesPresent() throws IOException {
        Path file = new NpzWriter().uint8("train_images", new long[] {1, 2, 2, 2}, new byte[8])
                .int64("train_labels", new long[] {1, 1}, new long[] {0}).write(temp.resolve("partial.npz"), false);
        assertThatThrownBy(() -> MedMnist3d.open(file)).isInstanceOf(DataFileException.class)
                .hasMessageContaining("lacks [val_images, val_labels, test_images, test_labels]")
                .hasMessageContaining("train_images");
    }

    @Test
    void wrongTypesShapesAndCountsFailNamingTheArray() throws IOException {
        assertLayoutError(valid().float32("val_images", new long[] {1, 2, 2, 2}, new float[8]),
                "val_images has dtype <f4; MedMNIST 3D volumes are uint8");
        assertLayoutError(valid().uint8("test_images", new long[] {1, 2, 2, 2, 1}, new byte[8]),
                "test_images has shape [1, 2, 2, 2, 1]");
        assertLayoutError(valid().uint8("test_images", new long[] {1, 3, 2, 2}, new byte[12]),
                "test_images holds volumes of [3, 2, 2] but the splits before hold [2, 2, 2]");
        assertLayoutError(valid().int64("train_labels", new long[] {2, 1}, new long[] {0, 1}),
                "train_labels has shape [2, 1]; expected [1, 1] or [1]");
        assertLayoutError(valid().int64("val_labels", new long[] {1, 2}, new long[] {0, 1}),
                "val_labels has shape [1, 2]");
        assertLayoutError(valid().float32("test_labels", new long[] {1}, new float[] {0.5f}),
                "test_labels has dtype <f4; labels must be integers");
    }

    @Test
    void negativeLabelsAndTruncatedFilesFail() throws IOException {
        Path negative = valid().int64("val_labels", new long[] {1}, new long[] {-2}).write(temp.resolve("neg.npz"), true);
        try (MedMnist3d file = MedMnist3d.open(negative)) {
            assertThatThrownBy(() -> file.read(MedMnist3d.Split.VAL)).isInstanceOf(DataFileException.class)
                    .hasMessageContaining("val_labels: label of volume 0 is -2");
        }
        byte[] bytes = Files.readAllBytes(medmnist("whole.npz", new int[] {4, 3, 5}, false));
        Path truncated = Files.write(temp.resolve("truncated.npz"), Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> MedMnist3d.open(truncated)).isInstanceOf(DataFileException.class)
                .hasMessageContaining(truncated.toString());
    }

    /** One volume of [2, 2, 2] per split, labels [1, 1]; tests overwrite single arrays. */
    private static NpzWriter valid() {
        NpzWriter npz = new NpzWriter();
        for (String split : new String[] {"train", "val", "test"}) {
            npz.uint8(split + "_images", new long[] {1, 2, 2, 2}, new byte[8]);
            npz.int64(split + "_labels", new long[] {1, 1}, new long[] {0});
        }
        return npz;
    }

    private void assertLayoutError(NpzWriter npz, String message) throws IOException {
        Path file = npz.write(Files.createTempFile(temp, "bad", ".npz"), true);
        assertThatThrownBy(() -> MedMnist3d.open(file)).isInstanceOf(DataFileException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(message);
    }
}
