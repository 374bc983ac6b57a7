package org.peft4j.backbones.adapted;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A test-only reader of the first images of a gzipped Fashion-MNIST IDX pair ({@code <set>-images-idx3-ubyte.gz},
 * {@code <set>-labels-idx1-ubyte.gz}): features [N, 1, 28, 28] scaled to [0, 1], one-hot labels [N, 10].
 */
final class FashionMnistIdx {

    static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private FashionMnistIdx() {
    }

    static boolean available(Path dir) {
        return Files.isReadable(dir.resolve("train-images-idx3-ubyte.gz"))
                && Files.isReadable(dir.resolve("train-labels-idx1-ubyte.gz"));
    }

    /** The first {@code count} examples of {@code set} ("train" or "t10k"). */
    static DataSet read(Path dir, String set, int count) throws IOException {
        Path images = dir.resolve(set + "-images-idx3-ubyte.gz");
        Path labels = dir.resolve(set + "-labels-idx1-ubyte.gz");
        INDArray features = Nd4j.create(DataType.FLOAT, count, 1, 28, 28);
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, count, 10);
        try (DataInputStream in = open(images)) {
            header(in, images, 2051, count);
            int rows = in.readInt();
            int cols = in.readInt();
            if (rows != 28 || cols != 28) {
                throw new IOException(images + ": expected 28x28 images, got " + rows + "x" + cols);
            }
            byte[] pixels = new byte[28 * 28];
            for (int n = 0; n < count; n++) {
                in.readFully(pixels);
                float[] values = new float[pixels.length];
                for (int i = 0; i < pixels.length; i++) {
                    values[i] = (pixels[i] & 0xff) / 255f;
                }
                features.get(org.nd4j.linalg.indexing.NDArrayIndex.point(n)).assign(Nd4j.create(values, 1, 28, 28));
            }
        }
        try (DataInputStream in = open(labels)) {
            header(in, labels, 2049, count);
            for (int n = 0; n < count; n++) {
                oneHot.putScalar(n, in.readUnsignedByte(), 1f);
            }
        }
        return new DataSet(features, oneHot);
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
    }

    private static void header(DataInputStream in, Path file, int magic, int count) throws IOException {
        int found = in.readInt();
        if (found != magic) {
            throw new IOException(file + ": bad IDX magic " + found + ", expected " + magic);
        }
        int items = in.readInt();
        if (items < count) {
            throw new IOException(file + ": holds " + items + " items, " + count + " requested");
        }
    }
}
