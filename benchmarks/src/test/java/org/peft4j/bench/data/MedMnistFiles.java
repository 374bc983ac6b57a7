package org.peft4j.bench.data;

import java.io.IOException;
import java.nio.file.Path;

/** Writes small files in the MedMNIST 2D layout for tests. */
public final class MedMnistFiles {

    private MedMnistFiles() {
    }

    /**
     * A grayscale file with {@code perClass} images of each of {@code classes} classes in every
     * split (labels cycle 0, 1, ..., classes-1); each image has a class-dependent pattern so a
     * network can learn it, plus a per-image offset.
     */
    public static Path write(Path file, int size, int classes, int perClass, boolean compressed) throws IOException {
        NpzWriter npz = new NpzWriter();
        for (String split : MedMnist2d.SPLITS) {
            int n = classes * perClass;
            byte[] pixels = new byte[n * size * size];
            long[] labels = new long[n];
            for (int i = 0; i < n; i++) {
                int label = i % classes;
                labels[i] = label;
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        boolean lit = ((x * classes) / size) == label || ((y * classes) / size) == label;
                        int value = (lit ? 180 : 30) + (i * 13 + x * 3 + y) % 40;
                        pixels[(i * size + y) * size + x] = (byte) value;
                    }
                }
            }
            npz.uint8(split + "_images", new long[] {n, size, size}, pixels)
                    .int64(split + "_labels", new long[] {n, 1}, labels);
        }
        return npz.write(file, compressed);
    }
}
