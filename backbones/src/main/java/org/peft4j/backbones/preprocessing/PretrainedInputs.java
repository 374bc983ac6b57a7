package org.peft4j.backbones.preprocessing;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;

/**
 * A {@link DataSetPreProcessor} that turns image batches [N, C, H, W] into what a pretrained
 * backbone expects: resize (bilinear, half-pixel centres) to {@code size}x{@code size}, gray to
 * {@code channels} channels, values rescaled from [0, {@code inputMax}] to the weights' range and
 * normalised as they were trained.
 *
 * <pre>{@code
 * iterator.setPreProcessor(PretrainedInputs.imagenetCaffe(224, 1.0));   // [0,1] gray -> VGG16 input
 * }</pre>
 *
 * @param channels      channels of the network input: 3 for ImageNet weights (a 1-channel batch is
 *                      replicated), or the batch's own channel count
 * @param size          the network's input height and width
 * @param inputMax      the largest value of the incoming pixels: 1 for [0, 1] data, 255 for bytes
 * @param normalisation what the weights were trained with
 */
public record PretrainedInputs(int channels, int size, double inputMax, Normalisation normalisation)
        implements DataSetPreProcessor {

    private static final long serialVersionUID = 1L;

    /** Input normalisations of pretrained weights. */
    public enum Normalisation {
        /**
         * Keras "caffe" mode: 0-255 RGB -> BGR minus the ImageNet means (B 103.939, G 116.779,
         * R 123.68). Keras' VGG16 and ResNet50 (v1) ImageNet weights and the DL4J zoo's VGG16 and
         * ResNet50 ImageNet files (Keras imports, paired with {@code VGG16ImagePreProcessor}).
         */
        CAFFE_BGR_MEAN,
        /** Values scaled to [0, 1]: {@code vgg-mini} and the fashion-transfer protocol. */
        UNIT_RANGE
    }

    public PretrainedInputs {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, got " + size);
        }
        if (!(inputMax > 0) || Double.isInfinite(inputMax)) {
            throw new IllegalArgumentException("inputMax must be a positive number, got " + inputMax);
        }
        if (normalisation == null) {
            throw new IllegalArgumentException("normalisation must be given (CAFFE_BGR_MEAN or UNIT_RANGE)");
        }
        if (normalisation == Normalisation.CAFFE_BGR_MEAN && channels != 3) {
            throw new IllegalArgumentException("CAFFE_BGR_MEAN normalises 3-channel inputs, got channels=" + channels);
        }
    }

    /** ImageNet weights of Keras' VGG16/ResNet50 or the DL4J zoo: 3 channels, Caffe normalisation. */
    public static PretrainedInputs imagenetCaffe(int size, double inputMax) {
        return new PretrainedInputs(3, size, inputMax, Normalisation.CAFFE_BGR_MEAN);
    }

    /** Values in [0, 1] at the given size and channel count. */
    public static PretrainedInputs unitRange(int channels, int size, double inputMax) {
        return new PretrainedInputs(channels, size, inputMax, Normalisation.UNIT_RANGE);
    }

    @Override
    public void preProcess(DataSet batch) {
        batch.setFeatures(apply(batch.getFeatures()));
    }

    /** The preprocessed copy of {@code images} [N, C, H, W]: [N, channels, size, size]. */
    public INDArray apply(INDArray images) {
        ImageInputs.requireImages(images, "PretrainedInputs");
        long incoming = images.size(1);
        if (incoming != channels && !(incoming == 1 && channels == 3)) {
            throw new IllegalArgumentException("images have " + incoming + " channels " + Arrays.toString(images.shape())
                    + "; this preprocessor makes " + channels);
        }
        INDArray resized = ImageInputs.resizeBilinear(images, size, size);
        INDArray shaped = incoming == channels ? resized : ImageInputs.grayToRgb(resized);
        return switch (normalisation) {
            case CAFFE_BGR_MEAN -> ImageInputs.caffeNormalise(shaped.muli(255.0 / inputMax));
            case UNIT_RANGE -> shaped.muli(1.0 / inputMax);
        };
    }
}
