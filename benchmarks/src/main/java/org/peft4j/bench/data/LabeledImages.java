package org.peft4j.bench.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A labelled image set held as unsigned 8-bit pixels, one array per image in channel-major order
 * ({@code [C, H, W]}, C = 1 for grayscale, 3 for RGB), with integer class labels in
 * {@code [0, classes)}. Images stay raw bytes so a large set (MedMNIST+ at 224x224) fits in memory;
 * batches are converted to float, resized and preprocessed on the way to the network. Serializable as it is (raw
 * pixels, labels, names), so that a comparison on Spark ships a set to its executors unconverted.
 */
public final class LabeledImages implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final int channels;
    private final int height;
    private final int width;
    private final byte[][] pixels;
    private final int[] labels;
    private final List<String> classNames;

    /**
     * @param name       where the set came from, e.g. {@code octmnist.npz:train}
     * @param channels   1 or 3
     * @param height     image height in pixels
     * @param width      image width in pixels
     * @param pixels     one {@code [C*H*W]} array per image (not copied)
     * @param labels     one label per image in {@code [0, classNames.size())} (not copied)
     * @param classNames the class names, index = label
     */
    public LabeledImages(String name, int channels, int height, int width, byte[][] pixels, int[] labels,
            List<String> classNames) {
        this.name = Objects.requireNonNull(name, "name");
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException(name + ": channels must be 1 or 3, got " + channels);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(name + ": image size must be positive, got " + height + "x" + width);
        }
        if (pixels.length != labels.length) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " images but " + labels.length + " labels");
        }
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException(name + ": no class names");
        }
        int size = channels * height * width;
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i].length != size) {
                throw new IllegalArgumentException(name + ": image " + i + " has " + pixels[i].length
                        + " values, expected " + channels + "x" + height + "x" + width);
            }
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of image " + i
                        + " is outside [0, " + classNames.size() + ")");
            }
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = pixels;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
    }

    public String name() {
        return name;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Number of classes. */
    public int classes() {
        return classNames.size();
    }

    public List<String> classNames() {
        return classNames;
    }

    /** Pixels of image {@code i}, {@code [C*H*W]} unsigned bytes (do not modify). */
    public byte[] pixels(int i) {
        return pixels[i];
    }

    /** Label of image {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** Images per class, index = label. */
    public int[] classCounts() {
        int[] counts = new int[classes()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The images at {@code indices}, in that order (pixel arrays are shared, not copied). */
    public LabeledImages select(int[] indices, String subsetName) {
        byte[][] chosen = new byte[indices.length][];
        int[] chosenLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            chosen[i] = pixels[indices[i]];
            chosenLabels[i] = labels[indices[i]];
        }
        return new LabeledImages(subsetName, channels, height, width, chosen, chosenLabels, classNames);
    }

    /** The first {@code limit} images in order (this set when it has no more). */
    public LabeledImages first(int limit) {
        if (limit >= size()) {
            return this;
        }
        int[] indices = new int[limit];
        for (int i = 0; i < limit; i++) {
            indices[i] = i;
        }
        return select(indices, name + " (first " + limit + ")");
    }

    /**
     * The images whose label is in {@code keep}, relabelled {@code keep[0] -> 0, keep[1] -> 1, ...}
     * (e.g. Fashion-MNIST labels 5-9 as a 5-class target task).
     */
    public LabeledImages relabel(int[] keep, List<String> newClassNames, String subsetName) {
        if (keep.length != newClassNames.size()) {
            throw new IllegalArgumentException(keep.length + " kept labels but " + newClassNames.size() + " class names");
        }
        int[] map = new int[classes()];
        Arrays.fill(map, -1);
        for (int i = 0; i < keep.length; i++) {
            map[keep[i]] = i;
        }
        int count = 0;
        for (int label : labels) {
            count += map[label] >= 0 ? 1 : 0;
        }
        byte[][] chosen = new byte[count][];
        int[] chosenLabels = new int[count];
        int next = 0;
        for (int i = 0; i < labels.length; i++) {
            if (map[labels[i]] >= 0) {
                chosen[next] = pixels[i];
                chosenLabels[next++] = map[labels[i]];
            }
        }
        return new LabeledImages(subsetName, channels, height, width, chosen, chosenLabels, newClassNames);
    }

    @Override
    public String toString() {
        return name + " (" + size() + " images, " + channels + "x" + height + "x" + width + ", classes "
                + Arrays.toString(classCounts()) + ")";
    }
}
