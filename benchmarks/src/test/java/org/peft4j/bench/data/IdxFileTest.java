package org.peft4j.bench.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxFileTest {

    @TempDir
    Path temp;

    private static final byte[] DATA = {1, 2, 3, 4, 5, 6, (byte) 200, 8, 9, 10, 11, 12};

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsPlainAndGzippedFilesWhateverTheirName(boolean gzip) throws IOException {
        Path file = IdxWriter.write(temp.resolve("images.idx"), IdxWriter.bytes(new int[] {2, 3, 2}, DATA), gzip);
        IdxFile idx = IdxFile.read(file);
        assertThat(idx.dims()).containsExactly(2, 3, 2);
        assertThat(idx.data()).containsExactly(DATA);
        assertThat(Byte.toUnsignedInt(idx.data()[6])).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncatedFileFailsNamingTheFile(boolean gzip) throws IOException {
        byte[] full = IdxWriter.bytes(new int[] {2, 3, 2}, DATA);
        Path file = IdxWriter.write(temp.resolve("cut.idx"), Arrays.copyOf(full, full.length - 3), gzip);
        assertThatThrownBy(() -> IdxFile.read(file)).isInstanceOf(DataFileException.class)
                .hasMessageContaining("cut.idx").hasMessageContaining("truncated");
    }

    @Test
    void truncatedGzipStreamFails() throws IOException {
        Path gz = IdxWriter.write(temp.resolve("a.gz"), IdxWriter.bytes(new int[] {2, 3, 2}, DATA), true);
        byte[] bytes = Files.readAllBytes(gz);
        Path cut = Files.write(temp.resolve("cut.gz"), Arrays.copyOf(bytes, bytes.length - 10));
        assertThatThrownBy(() -> IdxFile.read(cut)).isInstanceOf(DataFileException.class)
                .hasMessageContaining("cut.gz");
    }

    @Test
    void wrongMagicTypeAndTrailingBytesAreRejected() throws IOException {
        byte[] good = IdxWriter.bytes(new int[] {12}, DATA);
        byte[] badMagic = good.clone();
        badMagic[0] = 7;
        byte[] floats = good.clone();
        floats[2] = 0x0D;
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> IdxFile.read(IdxWriter.write(temp.resolve("m"), badMagic, false)))
                .hasMessageContaining("not an IDX file");
        assertThatThrownBy(() -> IdxFile.read(IdxWriter.write(temp.resolve("f"), floats, false)))
                .hasMessageContaining("0x0d is not supported");
        assertThatThrownBy(() -> IdxFile.read(IdxWriter.write(temp.resolve("t"), trailing, false)))
                .hasMessageContaining("bytes after");
        assertThatThrownBy(() -> IdxFile.read(temp.resolve("absent"))).hasMessageContaining("no such file");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fashionFolderGivesImagesAndLabels(boolean gzip) throws IOException {
        Path folder = IdxWriter.fashionFolder(temp.resolve("fm"), 30, 20, gzip);
        FashionMnist.Data data = FashionMnist.locate(Optional.of(folder));
        assertThat(data.train().size()).isEqualTo(30);
        assertThat(data.test().size()).isEqualTo(20);
        assertThat(data.train().label(13)).isEqualTo(3);
        assertThat(Byte.toUnsignedInt(data.train().pixels(13)[5])).isEqualTo((13 * 7 + 5 * 4) & 0xff);
        assertThat(data.train().classNames()).hasSize(10);
        LabeledImages first = data.train().first(12);
        assertThat(first.size()).isEqualTo(12);
        assertThat(first.label(11)).isEqualTo(1);
        assertThat(first.pixels(11)).isSameAs(data.train().pixels(11));
        assertThat(data.train().first(100)).isSameAs(data.train());
    }

    @Test
    void mismatchedLabelCountIsRejected() throws IOException {
        Path folder = IdxWriter.fashionFolder(temp.resolve("fm"), 10, 10, false);
        IdxWriter.write(folder.resolve("train-labels-idx1-ubyte"), IdxWriter.bytes(new int[] {9}, new byte[9]), false);
        assertThatThrownBy(() -> FashionMnist.load(folder)).hasMessageContaining("labels have shape [9] for 10 images");
    }

    @Test
    void embeddedSampleIsRealFashionMnist() throws IOException {
        FashionMnist.Data data = FashionMnist.embedded();
        assertThat(data.train().size()).isEqualTo(FashionMnist.SAMPLE_TRAIN);
        assertThat(data.test().size()).isEqualTo(FashionMnist.SAMPLE_TEST);
        assertThat(data.train().height()).isEqualTo(28);
        // the official files start with labels 9 (ankle boot), 0, 0, 3 (train) and 9, 2, 1, 1 (test)
        assertThat(new int[] {data.train().label(0), data.train().label(1), data.train().label(2), data.train().label(3)})
                .containsExactly(9, 0, 0, 3);
        assertThat(new int[] {data.test().label(0), data.test().label(1), data.test().label(2), data.test().label(3)})
                .containsExactly(9, 2, 1, 1);
        assertThat(Arrays.stream(data.train().classCounts()).min().getAsInt()).isEqualTo(560);
    }
}
