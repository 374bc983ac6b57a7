package org.peft4j.bench.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MedMnist2dTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(ints = {28, 64})
    void readsEverySplitOfAnySize(int size) throws IOException {
        Path file = MedMnistFiles.write(temp.resolve("octmnist_" + size + ".npz"), size, 4, 3, size == 64);
        MedMnist2d.Splits splits = MedMnist2d.read(file, MedMnist2d.OCT_CLASSES);
        for (LabeledImages set : List.of(splits.train(), splits.val(), splits.test())) {
            assertThat(set.size()).isEqualTo(12);
            assertThat(set.height()).isEqualTo(size);
            assertThat(set.channels()).isEqualTo(1);
            assertThat(set.classCounts()).containsExactly(3, 3, 3, 3);
        }
        assertThat(splits.val().label(5)).isEqualTo(1);
        int expected = 30 + (5 * 13 + 2 * 3 + 0) % 40; // image 5, x = 2, y = 0: not lit for class 1
        assertThat(Byte.toUnsignedInt(splits.val().pixels(5)[2])).isEqualTo(expected);
    }

    @Test
    void rgbImagesBecomeChannelMajor() throws IOException {
        byte[] hwc = new byte[2 * 2 * 3];
        for (int i = 0; i < hwc.length; i++) {
            hwc[i] = (byte) i;
        }
        NpzWriter npz = new NpzWriter();
        for (String split : MedMnist2d.SPLITS) {
            npz.uint8(split + "_images", new long[] {1, 2, 2, 3}, hwc).int64(split + "_labels", new long[] {1, 1}, new long[] {1});
        }
        Path file = npz.write(temp.resolve("rgb.npz"), false);
        LabeledImages train = MedMnist2d.read(file, List.of("a", "b")).train();
        assertThat(train.channels()).isEqualTo(3);
        // channel 0 is elements 0, 3, 6, 9 of the HWC array, channel 1 is 1, 4, 7, 10
        assertThat(train.pixels(0)).containsExactly(0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11);
    }

    @Test
    void missingKeyIsNamed() throws IOException {
        Path file = new NpzWriter().uint8("train_images", new long[] {1, 2, 2}, new byte[4])
                .int64("train_labels", new long[] {1, 1}, new long[] {0}).write(temp.resolve("x.npz"), false);
        assertThatThrownBy(() -> MedMnist2d.read(file, MedMnist2d.OCT_CLASSES)).isInstanceOf(DataFileException.class)
                .hasMessageContaining("x.npz").hasMessageContaining("'val_images'");
    }

    @Test
    void wrongDtypeShapeAndLabelsAreRejected() throws IOException {
        assertThatThrownBy(() -> MedMnist2d.read(layout("f.npz", "<f4", new long[] {1, 2, 2}, new long[] {1, 1},
                new long[] {0}), MedMnist2d.OCT_CLASSES)).hasMessageContaining("train_images has dtype <f4, expected uint8");
        assertThatThrownBy(() -> MedMnist2d.read(layout("s.npz", "|u1", new long[] {4, 2}, new long[] {4, 1},
                new long[] {0, 0, 0, 0}), MedMnist2d.OCT_CLASSES)).hasMessageContaining("expected [N, H, W] or [N, H, W, 3]");
        assertThatThrownBy(() -> MedMnist2d.read(layout("n.npz", "|u1", new long[] {1, 2, 2}, new long[] {2, 1},
                new long[] {0, 0}), MedMnist2d.OCT_CLASSES)).hasMessageContaining("train_labels has shape [2, 1], expected [1, 1]");
        assertThatThrownBy(() -> MedMnist2d.read(layout("l.npz", "|u1", new long[] {1, 2, 2}, new long[] {1, 1},
                new long[] {4}), MedMnist2d.OCT_CLASSES)).hasMessageContaining("train_labels[0] is 4, outside [0, 4)");
    }

    @Test
    void truncatedFileIsRejected() throws IOException {
        Path good = MedMnistFiles.write(temp.resolve("good.npz"), 28, 4, 2, false);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = Files.write(temp.resolve("cut.npz"), Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> MedMnist2d.read(cut, MedMnist2d.OCT_CLASSES)).isInstanceOf(DataFileException.class)
                .hasMessageContaining("cut.npz");
    }

    private Path layout(String name, String imageType, long[] imageShape, long[] labelShape, long[] labels)
            throws IOException {
        int n = (int) Arrays.stream(imageShape).reduce(1, (a, b) -> a * b);
        byte[] pixels = new byte[n * (imageType.equals("<f4") ? 4 : 1)];
        NpzWriter npz = new NpzWriter();
        for (String split : MedMnist2d.SPLITS) {
            npz.add(split + "_images", imageType, imageShape, pixels).int64(split + "_labels", labelShape, labels);
        }
        return npz.write(temp.resolve(name), false);
    }
}
