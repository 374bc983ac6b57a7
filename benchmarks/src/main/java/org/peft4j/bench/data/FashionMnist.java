package org.peft4j.bench.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Fashion-MNIST (Xiao et al. 2017, MIT licence) from IDX files: the standard four files
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}, each plain or with {@code .gz}.
 *
 * <p>{@link #locate} picks, in this order: a folder the user gives, the Debian package's folder
 * {@value #SYSTEM_FOLDER}, and otherwise the small real sample shipped in this jar (the first
 * {@value #SAMPLE_TRAIN} training and first {@value #SAMPLE_TEST} test images of the official files).
 */
public final class FashionMnist {

    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final String SYSTEM_FOLDER = "/usr/share/datasets/fashion-mnist";
    /** Training images in the embedded sample. */
    public static final int SAMPLE_TRAIN = 6000;
    /** Test images in the embedded sample. */
    public static final int SAMPLE_TEST = 2000;
    /** The ten class names, index = label. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final String RESOURCE_FOLDER = "/org/peft4j/bench/fashion-mnist-sample/";

    private FashionMnist() {
    }

    /**
     * Train and test sets with where they came from.
     *
     * @param train  the training set
     * @param test   the test set
     * @param origin the folder, or a note that the embedded sample is used
     */
    public record Data(LabeledImages train, LabeledImages test, String origin) {
    }

    /** The given folder, else the system folder when it has the files, else the embedded sample. */
    public static Data locate(Optional<Path> folder) throws DataFileException {
        if (folder.isPresent()) {
            return load(folder.get());
        }
        Path system = Path.of(SYSTEM_FOLDER);
        if (Files.exists(file(system, "train-images-idx3-ubyte"))) {
            return load(system);
        }
        return embedded();
    }

    /** The four files of {@code folder}. */
    public static Data load(Path folder) throws DataFileException {
        if (!Files.isDirectory(folder)) {
            throw new DataFileException(folder, "is not a folder with the Fashion-MNIST IDX files");
        }
        Path trainImages = file(folder, "train-images-idx3-ubyte");
        Path testImages = file(folder, "t10k-images-idx3-ubyte");
        LabeledImages train = images("train", IdxFile.read(trainImages),
                IdxFile.read(file(folder, "train-labels-idx1-ubyte")), folder);
        LabeledImages test = images("test", IdxFile.read(testImages),
                IdxFile.read(file(folder, "t10k-labels-idx1-ubyte")), folder);
        requireOneImageSize(trainImages, train, testImages, test);
        return new Data(train, test, folder.toAbsolutePath().toString());
    }

    /** The sample shipped in this jar. */
    public static Data embedded() throws DataFileException {
        Path origin = Path.of("embedded-fashion-mnist-sample");
        LabeledImages train = images("train", resource("train-images-idx3-ubyte.gz"),
                resource("train-labels-idx1-ubyte.gz"), origin);
        LabeledImages test = images("test", resource("t10k-images-idx3-ubyte.gz"),
                resource("t10k-labels-idx1-ubyte.gz"), origin);
        requireOneImageSize(Path.of("embedded:train-images-idx3-ubyte.gz"), train,
                Path.of("embedded:t10k-images-idx3-ubyte.gz"), test);
        return new Data(train, test, "embedded sample (" + train.size() + " train, " + test.size()
                + " test images of Fashion-MNIST, MIT licence)");
    }

    /** Train and test images must have one size: a network sees them at one input size, never silently resized. */
    static void requireOneImageSize(Path trainFile, LabeledImages train, Path testFile, LabeledImages test)
            throws DataFileException {
        if (train.height() != test.height() || train.width() != test.width()) {
            throw new DataFileException(testFile, "test images are " + test.height() + "x" + test.width()
                    + " but the training images of " + trainFile + " are " + train.height() + "x" + train.width()
                    + "; both must have the same size (they are not resized to match)");
        }
    }

    private static Path file(Path folder, String name) {
        Path plain = folder.resolve(name);
        Path gz = folder.resolve(name + ".gz");
        return Files.exists(plain) || !Files.exists(gz) ? plain : gz;
    }

    private static IdxFile resource(String name) throws DataFileException {
        Path source = Path.of("embedded:" + name);
        try (InputStream in = FashionMnist.class.getResourceAsStream(RESOURCE_FOLDER + name)) {
            if (in == null) {
                throw new DataFileException(source, "missing from the jar (the build did not package the sample)");
            }
            return IdxFile.read(in, source);
        } catch (DataFileException e) {
            throw e;
        } catch (IOException e) {
            throw new DataFileException(source, "cannot read: " + e.getMessage(), e);
        }
    }

    static LabeledImages images(String split, IdxFile images, IdxFile labels, Path origin) throws DataFileException {
        if (images.dims().length != 3) {
            throw new DataFileException(origin, split + " images have shape " + Arrays.toString(images.dims())
                    + ", expected [N, height, width]");
        }
        if (labels.dims().length != 1 || labels.rows() != images.rows()) {
            throw new DataFileException(origin, split + " labels have shape " + Arrays.toString(labels.dims())
                    + " for " + images.rows() + " images");
        }
        int n = images.rows();
        int h = images.dims()[1];
        int w = images.dims()[2];
        byte[][] pixels = new byte[n][];
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = Arrays.copyOfRange(images.data(), i * h * w, (i + 1) * h * w);
            classes[i] = Byte.toUnsignedInt(labels.data()[i]);
            if (classes[i] >= CLASSES.size()) {
                throw new DataFileException(origin, split + " label " + classes[i] + " of image " + i
                        + " is outside [0, " + CLASSES.size() + ")");
            }
        }
        return new LabeledImages("fashion-mnist:" + split, 1, h, w, pixels, classes, CLASSES);
    }
}
