package org.peft4j.bench.volumetric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Labelled volumes kept as their uint8 voxels (one byte each, as in the MedMNIST files) and turned
 * into float batches on demand, so a MedMNIST+ 64^3 split fits in memory.
 *
 * <p>Batches are {@code features [B, 1, D, H, W]} (NCDHW, one channel) with values {@code voxel / 255}
 * in [0, 1], and one-hot {@code labels [B, classes]}.
 */
public final class VolumeSplit {

    private final String name;
    private final int[] shape;
    private final byte[] voxels;
    private final int[] labels;

    /**
     * @param name   where the volumes come from, for messages (e.g. {@code organmnist3d.npz:train})
     * @param shape  {@code [D, H, W]} of every volume
     * @param voxels the volumes one after the other, each in c order of [D, H, W], as unsigned bytes
     * @param labels one class index (>= 0) per volume
     */
    public VolumeSplit(String name, int[] shape, byte[] voxels, int[] labels) {
        this.name = Objects.requireNonNull(name, "name");
        if (shape.length != 3 || Arrays.stream(shape).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException(name + ": volume shape must be [D, H, W] >= 1, got " + Arrays.toString(shape));
        }
        long volume = (long) shape[0] * shape[1] * shape[2];
        if (voxels.length != volume * labels.length) {
            throw new IllegalArgumentException(name + ": " + voxels.length + " voxels do not make " + labels.length
                    + " volumes of " + Arrays.toString(shape));
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException(name + ": label " + i + " is negative (" + labels[i] + ")");
            }
        }
        this.shape = shape.clone();
        this.voxels = voxels;
        this.labels = labels.clone();
    }

    public String name() {
        return name;
    }

    /** {@code [D, H, W]}. */
    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return labels.length;
    }

    /** Class index of volume {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** One more than the largest label (0 for an empty split). */
    public int classes() {
        return Arrays.stream(labels).max().orElse(-1) + 1;
    }

    /** Voxel {@code (d, h, w)} of volume {@code i}, 0-255. */
    public int voxel(int i, int d, int h, int w) {
        return Byte.toUnsignedInt(voxels[(int) (i * volume() + ((long) d * shape[1] + h) * shape[2] + w)]);
    }

    /**
     * The volumes with labels in {@code [from, to)}, relabelled to {@code label - from}: a task made of
     * some of the classes (e.g. a source task and a target task from one dataset).
     */
    public VolumeSplit classRange(int from, int to) {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException(name + ": class range [" + from + ", " + to + ") is empty or negative");
        }
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= from && labels[i] < to) {
                keep.add(i);
            }
        }
        int volume = (int) volume();
        byte[] kept = new byte[keep.size() * volume];
        int[] relabelled = new int[keep.size()];
        for (int k = 0; k < keep.size(); k++) {
            int i = keep.get(k);
            System.arraycopy(voxels, i * volume, kept, k * volume, volume);
            relabelled[k] = labels[i] - from;
        }
        return new VolumeSplit(name + "[classes " + from + "-" + (to - 1) + "]", shape, kept, relabelled);
    }

    /**
     * The volumes at {@code indices} as a batch.
     *
     * @param classes width of the one-hot labels; must exceed every label in the batch
     */
    public DataSet batch(int[] indices, int classes) {
        int volume = (int) volume();
        float[] features = new float[indices.length * volume];
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, indices.length, classes);
        for (int b = 0; b < indices.length; b++) {
            int i = indices[b];
            if (labels[i] >= classes) {
                throw new IllegalArgumentException(name + ": volume " + i + " has label " + labels[i] + " but only "
                        + classes + " classes were asked for");
            }
            int offset = i * volume;
            for (int v = 0; v < volume; v++) {
                features[b * volume + v] = Byte.toUnsignedInt(voxels[offset + v]) / 255f;
            }
            oneHot.putScalar(b, labels[i], 1.0);
        }
        INDArray x = Nd4j.create(features, new long[] {indices.length, 1, shape[0], shape[1], shape[2]}, 'c');
        return new DataSet(x, oneHot);
    }

    private long volume() {
        return (long) shape[0] * shape[1] * shape[2];
    }

    @Override
    public String toString() {
        return name + " (" + size() + " volumes of " + Arrays.toString(shape) + ", " + classes() + " classes)";
    }
}
