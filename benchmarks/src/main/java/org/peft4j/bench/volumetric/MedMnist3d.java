package org.peft4j.bench.volumetric;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.peft4j.bench.data.DataFileException;
import org.peft4j.bench.data.NpyArray;
import org.peft4j.bench.data.NpyType;
import org.peft4j.bench.data.NpzFile;

/**
 * A MedMNIST 3D file ({@code organmnist3d.npz}, {@code nodulemnist3d.npz}, {@code adrenalmnist3d.npz},
 * {@code fracturemnist3d.npz}, {@code vesselmnist3d.npz}, {@code synapsemnist3d.npz}, and the
 * MedMNIST+ {@code *_64.npz} files): for each split {@code train}, {@code val}, {@code test} the
 * arrays {@code <split>_images}, uint8 [N, D, H, W] (28^3 or 64^3), and {@code <split>_labels},
 * integers [N, 1] (or [N]).
 *
 * <p>{@link #open} checks the whole layout from the array headers before any data is read: every
 * key present, images uint8 of rank 4 with one volume shape across splits, labels integer with one
 * per volume. A wrong layout fails with a {@link DataFileException} naming the file, the array and
 * what was expected (a 2D MedMNIST file, [N, H, W], is recognised and named as such).
 *
 * <pre>{@code
 * try (MedMnist3d file = MedMnist3d.open(Path.of("organmnist3d.npz"))) {
 *     VolumeSplit train = file.read(MedMnist3d.Split.TRAIN);     // 972 volumes of [28, 28, 28]
 *     int classes = file.classes();                              // 11
 * }
 * }</pre>
 */
public final class MedMnist3d implements AutoCloseable {

    /** The three splits of a MedMNIST file. */
    public enum Split {
        TRAIN, VAL, TEST;

        /** The key prefix in the file: {@code train}, {@code val}, {@code test}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Path path;
    private final NpzFile npz;
    private final int[] shape;
    private final Map<Split, Long> sizes;

    private MedMnist3d(Path path, NpzFile npz, int[] shape, Map<Split, Long> sizes) {
        this.path = path;
        this.npz = npz;
        this.shape = shape;
        this.sizes = sizes;
    }

    /** Opens {@code file} and validates its layout (headers only). */
    public static MedMnist3d open(Path file) throws DataFileException {
        NpzFile npz = NpzFile.open(file);
        try {
            int[] shape = null;
            Map<Split, Long> sizes = new EnumMap<>(Split.class);
            checkKeys(file, npz);
            for (Split split : Split.values()) {
                long[] images = imageShape(file, npz, split);
                int[] volume = {(int) images[1], (int) images[2], (int) images[3]};
                if (shape != null && !Arrays.equals(shape, volume)) {
                    throw new DataFileException(file, split.key() + "_images holds volumes of " + Arrays.toString(volume)
                            + " but the splits before hold " + Arrays.toString(shape));
                }
                shape = volume;
                checkLabels(file, npz, split, images[0]);
                sizes.put(split, images[0]);
            }
            return new MedMnist3d(file, npz, shape, sizes);
        } catch (DataFileException e) {
            closeQuietly(npz, e);
            throw e;
        }
    }

    /** {@code [D, H, W]} of every volume. */
    public int[] volumeShape() {
        return shape.clone();
    }

    /** Number of volumes in {@code split}. */
    public long size(Split split) {
        return sizes.get(split);
    }

    /** One more than the largest label of any split (reads the labels only). */
    public int classes() throws DataFileException {
        int classes = 0;
        for (Split split : Split.values()) {
            for (long label : labels(split, 0, size(split))) {
                classes = (int) Math.max(classes, label + 1);
            }
        }
        return classes;
    }

    /** All volumes of {@code split}. */
    public VolumeSplit read(Split split) throws DataFileException {
        return read(split, 0, size(split));
    }

    /** Volumes {@code [start, start + count)} of {@code split}, e.g. a quick subset. */
    public VolumeSplit read(Split split, long start, long count) throws DataFileException {
        NpyArray images = npz.readRows(split.key() + "_images", start, count);
        long[] labels = labels(split, start, count);
        int[] classes = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > Integer.MAX_VALUE) {
                throw new DataFileException(path, split.key() + "_labels: label of volume " + (start + i) + " is "
                        + labels[i] + ", not a class index >= 0");
            }
            classes[i] = (int) labels[i];
        }
        byte[] voxels = new byte[images.data().remaining()];
        images.data().get(voxels);
        return new VolumeSplit(path.getFileName() + ":" + split.key(), shape, voxels, classes);
    }

    @Override
    public void close() throws IOException {
        npz.close();
    }

    private long[] labels(Split split, long start, long count) throws DataFileException {
        return npz.readRows(split.key() + "_labels", start, count).toLongs();
    }

    private static void checkKeys(Path file, NpzFile npz) throws DataFileException {
        List<String> missing = new ArrayList<>();
        for (Split split : Split.values()) {
            for (String suffix : List.of("_images", "_labels")) {
                if (!npz.keys().contains(split.key() + suffix)) {
                    missing.add(split.key() + suffix);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new DataFileException(file, "not a MedMNIST file: it lacks " + missing + " (it has " + npz.keys()
                    + "; expected train_/val_/test_ images and labels)");
        }
    }

    private static long[] imageShape(Path file, NpzFile npz, Split split) throws DataFileException {
        String key = split.key() + "_images";
        long[] images = npz.shape(key);
        NpyType type = npz.dtype(key);
        if (images.length == 3) {
            throw new DataFileException(file, key + " has shape " + Arrays.toString(images)
                    + ", [N, H, W]: a 2D MedMNIST file; 3D files hold volumes [N, D, H, W] (e.g. organmnist3d.npz)");
        }
        if (images.length != 4) {
            throw new DataFileException(file, key + " has shape " + Arrays.toString(images)
                    + "; MedMNIST 3D volumes are [N, D, H, W] (rank 4, no channel axis)");
        }
        if (type.kind() != 'u' || type.width() != 1) {
            throw new DataFileException(file, key + " has dtype " + type + "; MedMNIST 3D volumes are uint8 (|u1)");
        }
        if (Arrays.stream(images).skip(1).anyMatch(s -> s < 1)) {
            throw new DataFileException(file, key + " has an empty volume shape " + Arrays.toString(images));
        }
        return images;
    }

    private static void checkLabels(Path file, NpzFile npz, Split split, long volumes) throws DataFileException {
        String key = split.key() + "_labels";
        long[] labels = npz.shape(key);
        boolean column = labels.length == 2 && labels[1] == 1;
        if (!(labels.length == 1 || column) || labels[0] != volumes) {
            throw new DataFileException(file, key + " has shape " + Arrays.toString(labels) + "; expected [" + volumes
                    + ", 1] or [" + volumes + "], one label per volume of " + split.key() + "_images");
        }
        NpyType type = npz.dtype(key);
        if (!type.isInteger()) {
            throw new DataFileException(file, key + " has dtype " + type + "; labels must be integers");
        }
    }

    private static void closeQuietly(NpzFile npz, DataFileException failure) {
        try {
            npz.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
