package org.peft4j.bench.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad data files: headers that claim more data than the file holds must fail naming the file (and the npz key)
 * before memory is set aside for the claim; train and test images of different sizes are refused.
 */
class DataReadersBadInputTest {

    /** Far below the 2 GB the bad headers claim, far above what reading a few KB needs. */
    private static final long ALLOCATION_LIMIT = 64L << 20;
    private static final int TWO_BILLION = 2_000_000_000;

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void idxHeaderClaimingTwoBillionRowsFailsWithoutAllocatingThem(boolean gzip) throws IOException {
        Path file = IdxWriter.write(temp.resolve("labels.idx"), IdxWriter.bytes(new int[] {TWO_BILLION}, new byte[1000]),
                gzip);
        assertFailsCheaply(() -> IdxFile.read(file), "labels.idx", "[2000000000]", "needs 2000000000 data bytes");
    }

    @Test
    void idxPlainFileIsCheckedAgainstItsSizeBeforeReading() throws IOException {
        Path file = IdxWriter.write(temp.resolve("images.idx"), IdxWriter.bytes(new int[] {TWO_BILLION, 1}, new byte[1000]),
                false);
        assertFailsCheaply(() -> IdxFile.read(file), "images.idx", "truncated or corrupt header", "the file has 1000");
    }

    @Test
    void idxShapeWhoseSizeOverflowsIsRefused() throws IOException {
        // 65536^4 = 2^64 wraps to 0 in a long: a header-only file would read as an array of no data
        Path file = IdxWriter.write(temp.resolve("huge.idx"), IdxWriter.bytes(new int[] {65536, 65536, 65536, 65536},
                new byte[0]), false);
        assertFailsCheaply(() -> IdxFile.read(file), "huge.idx", "too large");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void npzHeaderClaimingTwoBillionRowsFailsNamingFileAndKey(boolean compressed) throws IOException {
        Path file = new NpzWriter().uint8("train_labels", new long[] {TWO_BILLION}, new byte[15_000])
                .write(temp.resolve("bomb.npz"), compressed);
        try (NpzFile npz = NpzFile.open(file)) {
            assertFailsCheaply(() -> npz.read("train_labels"), "bomb.npz", "train_labels", "claims shape [2000000000]",
                    "15000 bytes");
            assertFailsCheaply(() -> npz.shape("train_labels"), "bomb.npz", "train_labels", "claims");
        }
    }

    @Test
    void npzShapeWhoseByteCountOverflowsFailsNamingFileAndKey() throws IOException {
        Path file = new NpzWriter().add("x", "<f8", new long[] {1L << 40, 1L << 40}, new byte[64])
                .write(temp.resolve("overflow.npz"), false);
        try (NpzFile npz = NpzFile.open(file)) {
            assertFailsCheaply(() -> npz.read("x"), "overflow.npz", "x: ", "overflows");
        }
    }

    @Test
    void medMnistFileWithABombHeaderFailsBeforeReadingImages() throws IOException {
        Path file = new NpzWriter().uint8("train_images", new long[] {TWO_BILLION, 28, 28}, new byte[784])
                .int64("train_labels", new long[] {TWO_BILLION, 1}, new long[1])
                .write(temp.resolve("octmnist.npz"), true);
        assertFailsCheaply(() -> MedMnist2d.read(file, MedMnist2d.OCT_CLASSES), "octmnist.npz", "train_images",
                "claims");
    }

    @Test
    void npyShapeThatIsNotNumericFailsNamingFileAndKey() throws IOException {
        Path file = temp.resolve("words.npz");
        new NpzWriter().uint8("val_images", new long[] {2, 2}, new byte[4]).write(file, false);
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("'shape': (2, 2)",
                "'shape': (n, 2)");
        Files.write(file, text.getBytes(StandardCharsets.ISO_8859_1));
        try (NpzFile npz = NpzFile.open(file)) {
            assertThatThrownBy(() -> npz.shape("val_images")).isInstanceOf(DataFileException.class)
                    .hasMessageContaining("words.npz").hasMessageContaining("val_images")
                    .hasMessageContaining("shape (n, 2)").hasMessageContaining("whole numbers");
        }
    }

    @Test
    void fashionTrainAndTestImagesOfDifferentSizesAreRefusedNamingBoth() throws IOException {
        Path folder = IdxWriter.fashionFolder(temp.resolve("fashion"), 10, 4, false);
        IdxWriter.write(folder.resolve("t10k-images-idx3-ubyte"), IdxWriter.bytes(new int[] {4, 32, 32},
                new byte[4 * 32 * 32]), false);
        assertThatThrownBy(() -> FashionMnist.load(folder)).isInstanceOf(DataFileException.class)
                .hasMessageContaining("t10k-images-idx3-ubyte").hasMessageContaining("train-images-idx3-ubyte")
                .hasMessageContaining("32x32").hasMessageContaining("28x28");
    }

    private static void assertFailsCheaply(ThrowingCallable read, String... messageParts) {
        long before = AllocationMeter.allocatedBytes();
        assertThatThrownBy(read).isInstanceOf(DataFileException.class).hasMessageContainingAll(messageParts);
        assertThat(AllocationMeter.allocatedBytes() - before).as("bytes allocated while failing")
                .isLessThan(ALLOCATION_LIMIT);
    }
}
