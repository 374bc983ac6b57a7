package org.peft4j.bench.data;

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

class NpzFileTest {

    @TempDir
    Path temp;

    private Path sample(boolean compressed) throws IOException {
        byte[] pixels = new byte[4 * 2 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 11);
        }
        return new NpzWriter()
                .uint8("train_images", new long[] {4, 2, 3}, pixels)
                .int64("train_labels", new long[] {4, 1}, new long[] {3, 0, 2, 1})
                .float32("weights", new long[] {2}, new float[] {0.5f, -1.25f})
                .write(temp.resolve(compressed ? "c.npz" : "s.npz"), compressed);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsArraysOfStoredAndCompressedArchives(boolean compressed) throws IOException {
        try (NpzFile npz = NpzFile.open(sample(compressed))) {
            assertThat(npz.keys()).containsExactlyInAnyOrder("train_images", "train_labels", "weights");
            assertThat(npz.shape("train_images")).containsExactly(4, 2, 3);
            NpyArray images = npz.read("train_images");
            assertThat(images.getDouble(5)).isEqualTo(55);
            assertThat(images.getDouble(23)).isEqualTo((23 * 11) & 0xff);
            assertThat(npz.read("train_labels").toLongs()).containsExactly(3, 0, 2, 1);
            assertThat(npz.read("weights").toFloatArray().toFloatVector()).containsExactly(0.5f, -1.25f);
        }
    }

    @Test
    void readsARangeOfRows() throws IOException {
        try (NpzFile npz = NpzFile.open(sample(true))) {
            NpyArray rows = npz.readRows("train_images", 2, 2);
            assertThat(rows.shape()).containsExactly(2, 2, 3);
            assertThat(rows.getDouble(0)).isEqualTo((12 * 11) & 0xff);
            assertThatThrownBy(() -> npz.readRows("train_images", 3, 2)).isInstanceOf(DataFileException.class)
                    .hasMessageContaining("outside its 4 rows");
        }
    }

    @Test
    void missingArrayNamesWhatExists() throws IOException {
        try (NpzFile npz = NpzFile.open(sample(false))) {
            assertThatThrownBy(() -> npz.read("val_images")).isInstanceOf(DataFileException.class)
                    .hasMessageContaining("val_images").hasMessageContaining("train_labels");
        }
    }

    @Test
    void truncatedArchiveFailsNamingTheFile() throws IOException {
        Path file = sample(false);
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = temp.resolve("truncated.npz");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> {
            try (NpzFile npz = NpzFile.open(truncated)) {
                npz.read("train_images");
            }
        }).isInstanceOf(DataFileException.class).hasMessageContaining(truncated.toString());
    }

    @Test
    void entryShorterThanItsShapeIsTruncated() throws IOException {
        Path file = new NpzWriter().uint8("x", new long[] {10, 10}, new byte[50]).write(temp.resolve("short.npz"), true);
        try (NpzFile npz = NpzFile.open(file)) {
            assertThatThrownBy(() -> npz.read("x")).isInstanceOf(DataFileException.class).hasMessageContaining("truncated");
        }
    }

    @Test
    void unsupportedDtypeAndNonZipFail() throws IOException {
        Path complex = new NpzWriter().add("z", "<c16", new long[] {1}, new byte[16]).write(temp.resolve("z.npz"), false);
        try (NpzFile npz = NpzFile.open(complex)) {
            assertThatThrownBy(() -> npz.read("z")).isInstanceOf(DataFileException.class).hasMessageContaining("<c16");
        }
        Path text = Files.writeString(temp.resolve("text.npz"), "hello");
        assertThatThrownBy(() -> NpzFile.open(text)).isInstanceOf(DataFileException.class).hasMessageContaining("zip");
    }
}
