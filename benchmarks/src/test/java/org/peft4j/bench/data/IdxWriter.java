package org.peft4j.bench.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes unsigned-byte IDX files (plain or gzipped) for tests. */
public final class IdxWriter {

    private IdxWriter() {
    }

    /** The IDX bytes of {@code data} with dimensions {@code dims}. */
    public static byte[] bytes(int[] dims, byte[] data) {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length);
        header.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
        for (int d : dims) {
            header.putInt(d);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.array());
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** Writes {@code bytes} to {@code file}, gzipped when {@code gzip}. */
    public static Path write(Path file, byte[] bytes, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes);
        }
        return file;
    }

    /** Writes a Fashion-MNIST folder: {@code n} train and {@code m} test 28x28 images, labels i % 10. */
    public static Path fashionFolder(Path folder, int n, int m, boolean gzip) throws IOException {
        Files.createDirectories(folder);
        String suffix = gzip ? ".gz" : "";
        writeSplit(folder, "train", n, suffix, gzip);
        writeSplit(folder, "t10k", m, suffix, gzip);
        return folder;
    }

    private static void writeSplit(Path folder, String prefix, int n, String suffix, boolean gzip) throws IOException {
        byte[] images = new byte[n * 28 * 28];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
            for (int p = 0; p < 28 * 28; p++) {
                images[i * 784 + p] = (byte) ((i * 7 + p * (i % 10 + 1)) & 0xff);
            }
        }
        write(folder.resolve(prefix + "-images-idx3-ubyte" + suffix), bytes(new int[] {n, 28, 28}, images), gzip);
        write(folder.resolve(prefix + "-labels-idx1-ubyte" + suffix), bytes(new int[] {n}, labels), gzip);
    }
}
