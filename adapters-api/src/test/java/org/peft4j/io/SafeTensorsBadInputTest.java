package org.peft4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files whose size or header would make a reader allocate more than the file holds: they are
 * refused from their header, before any tensor is read, with an error naming the file and tensor.
 * The large files are sparse: they take no disk space.
 */
class SafeTensorsBadInputTest {

    private static final long GIB = 1L << 30;

    @TempDir
    Path temp;

    @Test
    void aHugeFileIsRefusedFromItsHeaderWithoutReadingIt() throws IOException {
        Path zeros = sparse("zeros.bin", new byte[0], 3 * GIB);
        assertThatThrownBy(() -> SafeTensors.read(zeros)).isInstanceOf(SafeTensorsException.class)
                .hasMessageStartingWith(zeros.toString()).hasMessageContaining("header length 0");
        assertThatThrownBy(() -> AdapterFile.read(zeros)).isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining("header length 0");

        Path tail = sparse("tail.safetensors", header("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"),
                3 * GIB);
        assertThatThrownBy(() -> SafeTensors.read(tail)).isInstanceOf(SafeTensorsException.class)
                .hasMessageStartingWith(tail.toString()).hasMessageContaining("unexpected bytes after the last tensor");

        Path notJson = sparse("image.png", withLength(16, "PNG image bytes!"), 3 * GIB);
        assertThatThrownBy(() -> AdapterFile.read(notJson)).isInstanceOf(SafeTensorsException.class)
                .hasMessageStartingWith(notJson.toString()).hasMessageContaining("not a safetensors file");
    }

    @Test
    void aTensorLargerThanAJavaArrayIsNamed() throws IOException {
        long bytes = 600_000_000L * 4;
        byte[] header = header("{\"big\":{\"dtype\":\"F32\",\"shape\":[600000000],\"data_offsets\":[0," + bytes + "]}}");
        Path file = sparse("big.safetensors", header, header.length + bytes);
        assertThatThrownBy(() -> SafeTensors.read(file)).isInstanceOf(SafeTensorsException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining("tensor 'big' holds 2400000000 bytes");
    }

    @Test
    void aShapeWhoseSizeOverflowsIsNamed() throws IOException {
        for (String shape : new String[] {"[4294967296,4294967296]", "[4611686018427387904]", "[3,9223372036854775807]"}) {
            Path file = sparse("overflow.safetensors",
                    header("{\"huge\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[0,8]}}"), 0);
            assertThatThrownBy(() -> SafeTensors.read(file)).as(shape).isInstanceOf(SafeTensorsException.class)
                    .hasMessageStartingWith(file.toString()).hasMessageContaining("tensor 'huge' has shape " + shape)
                    .hasMessageContaining("overflows");
        }
    }

    /** The 8-byte length and {@code json}, padded with spaces to a multiple of 8 as writers do. */
    private static byte[] header(String json) {
        int length = (json.length() + 7) / 8 * 8;
        return withLength(length, json + " ".repeat(length - json.length()));
    }

    private static byte[] withLength(long length, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + bytes.length).order(ByteOrder.LITTLE_ENDIAN).putLong(length).put(bytes).array();
    }

    /** A file starting with {@code head}, extended to {@code size} bytes (at least the head) with holes. */
    private Path sparse(String name, byte[] head, long size) throws IOException {
        Path file = temp.resolve(name);
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.setLength(0);
            out.write(head);
            out.setLength(Math.max(size, head.length));
        }
        return file;
    }
}
