package org.peft4j.bench.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a MedMNIST v2 / MedMNIST+ 2D file ({@code octmnist.npz}, {@code octmnist_64.npz},
 * {@code _128}, {@code _224}, and the other 2D sets) and checks its layout before use:
 * for each split {@code train}, {@code val}, {@code test} the keys {@code <split>_images}
 * (uint8, {@code [N, H, W]} grayscale or {@code [N, H, W, 3]} RGB) and {@code <split>_labels}
 * (integers, {@code [N, 1]} or {@code [N]}, each in {@code [0, classes)}), with equal N and the
 * same image size in every split. Images are converted to channel-major {@code [C, H, W]}.
 */
public final class MedMnist2d {

    /** The splits of a MedMNIST file, in file order. */
    public static final List<String> SPLITS = List.of("train", "val", "test");
    /** OCTMNIST's classes, index = label. */
    public static final List<String> OCT_CLASSES = List.of("CNV", "DME", "Drusen", "Normal");

    private static final int ROWS_PER_READ = 2048;

    private MedMnist2d() {
    }

    /**
     * The three splits of a file.
     *
     * @param train training images
     * @param val   validation images
     * @param test  test images
     */
    public record Splits(LabeledImages train, LabeledImages val, LabeledImages test) {
    }

    /**
     * Reads and checks {@code file}.
     *
     * @param classNames the dataset's classes (e.g. {@link #OCT_CLASSES}); labels must be below their count
     * @throws DataFileException naming the file and the key when the layout is wrong
     */
    public static Splits read(Path file, List<String> classNames) throws DataFileException {
        try (NpzFile npz = NpzFile.open(file)) {
            long[] imageShape = null;
            LabeledImages[] sets = new LabeledImages[SPLITS.size()];
            for (int s = 0; s < SPLITS.size(); s++) {
                String split = SPLITS.get(s);
                long[] shape = checkLayout(file, npz, split, classNames.size());
                long[] perImage = Arrays.copyOfRange(shape, 1, shape.length);
                if (imageShape != null && !Arrays.equals(imageShape, perImage)) {
                    throw new DataFileException(file, split + "_images are " + Arrays.toString(perImage)
                            + " per image but train_images are " + Arrays.toString(imageShape));
                }
                imageShape = perImage;
                sets[s] = readSplit(file, npz, split, shape, classNames);
            }
            return new Splits(sets[0], sets[1], sets[2]);
        } catch (DataFileException e) {
            throw e;
        } catch (IOException e) {
            throw new DataFileException(file, "cannot close: " + e.getMessage(), e);
        }
    }

    private static long[] checkLayout(Path file, NpzFile npz, String split, int classes) throws DataFileException {
        String imagesKey = split + "_images";
        String labelsKey = split + "_labels";
        List<String> keys = npz.keys();
        for (String key : List.of(imagesKey, labelsKey)) {
            if (!keys.contains(key)) {
                throw new DataFileException(file, "has no array '" + key + "' (a MedMNIST file has "
                        + "train/val/test _images and _labels; this one has " + keys + ")");
            }
        }
        NpyType imageType = npz.dtype(imagesKey);
        if (imageType.kind() != 'u' || imageType.width() != 1) {
            throw new DataFileException(file, imagesKey + " has dtype " + imageType + ", expected uint8 (|u1)");
        }
        long[] shape = npz.shape(imagesKey);
        boolean gray = shape.length == 3;
        boolean rgb = shape.length == 4 && shape[3] == 3;
        if (!(gray || rgb) || shape[1] < 1 || shape[2] < 1) {
            throw new DataFileException(file, imagesKey + " has shape " + Arrays.toString(shape)
                    + ", expected [N, H, W] or [N, H, W, 3]");
        }
        NpyType labelType = npz.dtype(labelsKey);
        if (!labelType.isInteger()) {
            throw new DataFileException(file, labelsKey + " has dtype " + labelType + ", expected integers");
        }
        long[] labelShape = npz.shape(labelsKey);
        boolean labelsOk = (labelShape.length == 1 || (labelShape.length == 2 && labelShape[1] == 1))
                && labelShape[0] == shape[0];
        if (!labelsOk) {
            throw new DataFileException(file, labelsKey + " has shape " + Arrays.toString(labelShape)
                    + ", expected [" + shape[0] + ", 1] to match " + imagesKey + " " + Arrays.toString(shape));
        }
        return shape;
    }

    private static LabeledImages readSplit(Path file, NpzFile npz, String split, long[] shape, List<String> classNames)
            throws DataFileException {
        int n = Math.toIntExact(shape[0]);
        int h = Math.toIntExact(shape[1]);
        int w = Math.toIntExact(shape[2]);
        int channels = shape.length == 4 ? 3 : 1;
        long[] labels = npz.read(split + "_labels").toLongs();
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new DataFileException(file, split + "_labels[" + i + "] is " + labels[i]
                        + ", outside [0, " + classNames.size() + ") for classes " + classNames);
            }
            classes[i] = (int) labels[i];
        }
        int size = channels * h * w;
        byte[][] pixels = new byte[n][];
        for (int start = 0; start < n; start += ROWS_PER_READ) {
            int count = Math.min(ROWS_PER_READ, n - start);
            NpyArray block = npz.readRows(split + "_images", start, count);
            for (int i = 0; i < count; i++) {
                byte[] hwc = new byte[size];
                block.data().get(i * size, hwc);
                pixels[start + i] = channels == 1 ? hwc : toChannelMajor(hwc, h, w);
            }
        }
        return new LabeledImages(file.getFileName() + ":" + split, channels, h, w, pixels, classes, classNames);
    }

    private static byte[] toChannelMajor(byte[] hwc, int h, int w) {
        byte[] chw = new byte[hwc.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    chw[(c * h + y) * w + x] = hwc[(y * w + x) * 3 + c];
                }
            }
        }
        return chw;
    }
}
