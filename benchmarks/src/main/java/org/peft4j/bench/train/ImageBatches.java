package org.peft4j.bench.train;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.image.ResizeBilinear;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.VGG16ImagePreProcessor;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.bench.data.LabeledImages;

/**
 * One pass over a {@link LabeledImages} set as DL4J mini-batches: features {@code [B, C, S, S]}
 * float as {@link InputSpec} says (channels repeated or averaged, bilinear resize, scaling), labels
 * one-hot {@code [B, classes]}. The order is the set's order, or a permutation drawn from a seed;
 * augmentation draws from the same seed, so a pass is reproducible.
 */
public final class ImageBatches implements DataSetIterator {

    private static final long serialVersionUID = 1L;

    private final LabeledImages images;
    private final InputSpec input;
    private final int batchSize;
    private final Augmentation augmentation;
    private final long seed;
    private final boolean shuffle;
    private transient int[] order;
    private transient Random random;
    private int cursor;

    private ImageBatches(LabeledImages images, InputSpec input, int batchSize, boolean shuffle, long seed,
            Augmentation augmentation) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.images = images;
        this.input = input;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.augmentation = augmentation;
        reset();
    }

    /** A pass in file order without augmentation (evaluation). */
    public static ImageBatches inOrder(LabeledImages images, InputSpec input, int batchSize) {
        return new ImageBatches(images, input, batchSize, false, 0, Augmentation.NONE);
    }

    /** A shuffled, optionally augmented pass (one training epoch) drawn from {@code seed}. */
    public static ImageBatches shuffled(LabeledImages images, InputSpec input, int batchSize, long seed,
            Augmentation augmentation) {
        return new ImageBatches(images, input, batchSize, true, seed, augmentation);
    }

    /** Number of batches in one pass. */
    public int batches() {
        return (images.size() + batchSize - 1) / batchSize;
    }

    @Override
    public boolean hasNext() {
        return cursor < images.size();
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        int count = Math.min(num, images.size() - cursor);
        if (count <= 0) {
            throw new NoSuchElementException("the pass over " + images.name() + " is finished");
        }
        int h = images.height();
        int w = images.width();
        int c = input.channels();
        float[] values = new float[count * c * h * w];
        INDArray labels = Nd4j.zeros(DataType.FLOAT, count, images.classes());
        for (int b = 0; b < count; b++) {
            int index = order[cursor + b];
            fill(values, b * c * h * w, images.pixels(index), h, w);
            labels.putScalar(b, images.label(index), 1f);
        }
        cursor += count;
        INDArray features = Nd4j.create(values, new long[] {count, c, h, w}, 'c');
        if (h != input.size() || w != input.size()) {
            INDArray nhwc = features.permute(0, 2, 3, 1).dup('c');
            INDArray resized = Nd4j.create(DataType.FLOAT, count, input.size(), input.size(), c);
            // half-pixel centres: the sampling of TF2's and PIL's bilinear resize
            Nd4j.exec(new ResizeBilinear(nhwc, resized, input.size(), input.size(), false, true));
            features = resized.permute(0, 3, 1, 2).dup('c');
        }
        if (input.normalisation() == InputSpec.Normalisation.UNIT) {
            features.divi(255f);
        } else {
            new VGG16ImagePreProcessor().preProcess(features);
        }
        return new DataSet(features, labels);
    }

    /** Writes one image as {@code [c, h, w]} floats 0..255, converting channels and augmenting. */
    private void fill(float[] out, int offset, byte[] pixels, int h, int w) {
        int sourceChannels = images.channels();
        int c = input.channels();
        boolean flip = augmentation.flip() && random.nextBoolean();
        float shift = augmentation.brightness() > 0
                ? (float) ((random.nextDouble() * 2 - 1) * augmentation.brightness() * 255) : 0f;
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sx = flip ? w - 1 - x : x;
                    float value;
                    if (sourceChannels == c) {
                        value = Byte.toUnsignedInt(pixels[(ch * h + y) * w + sx]);
                    } else if (sourceChannels == 1) {
                        value = Byte.toUnsignedInt(pixels[y * w + sx]);
                    } else {
                        value = (Byte.toUnsignedInt(pixels[y * w + sx]) + Byte.toUnsignedInt(pixels[(h + y) * w + sx])
                                + Byte.toUnsignedInt(pixels[(2 * h + y) * w + sx])) / 3f;
                    }
                    out[offset + (ch * h + y) * w + x] = shift == 0 ? value : Math.max(0f, Math.min(255f, value + shift));
                }
            }
        }
    }

    @Override
    public int inputColumns() {
        return input.channels() * input.size() * input.size();
    }

    @Override
    public int totalOutcomes() {
        return images.classes();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        cursor = 0;
        random = new Random(seed);
        order = new int[images.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException("ImageBatches applies its InputSpec itself; no pre-processor");
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return null;
    }

    @Override
    public List<String> getLabels() {
        return images.classNames();
    }
}
