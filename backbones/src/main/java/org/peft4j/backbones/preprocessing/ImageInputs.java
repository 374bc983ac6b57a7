package org.peft4j.backbones.preprocessing;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.image.ResizeBilinear;
import org.nd4j.linalg.dataset.api.preprocessor.VGG16ImagePreProcessor;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Image tensors [N, C, H, W] (DL4J's NCHW) made ready for pretrained weights. Each function returns
 * a new array and leaves its argument unchanged.
 */
public final class ImageInputs {

    /** ImageNet channel means in BGR order, as Keras' "caffe" mode and DL4J's {@link VGG16ImagePreProcessor} subtract. */
    public static final double[] IMAGENET_MEAN_BGR = {103.939, 116.779, 123.68};

    private ImageInputs() {
    }

    /** [N, 1, H, W] -> [N, 3, H, W], the gray value in every channel. */
    public static INDArray grayToRgb(INDArray images) {
        requireImages(images, "grayToRgb");
        if (images.size(1) != 1) {
            throw new IllegalArgumentException("grayToRgb needs 1 channel, got " + Arrays.toString(images.shape()));
        }
        return Nd4j.concat(1, images, images, images);
    }

    /**
     * Bilinear resize to [N, C, height, width] with half-pixel centres (as TensorFlow 2's
     * {@code tf.image.resize}, PyTorch's {@code align_corners=False}), no antialiasing:
     * source coordinate {@code (dst + 0.5)·in/out − 0.5}, clamped at the borders. ND4J's
     * {@code resize_bilinear} op computes it on NHWC.
     */
    public static INDArray resizeBilinear(INDArray images, int height, int width) {
        requireImages(images, "resizeBilinear");
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("resize target must be at least 1x1, got " + height + "x" + width);
        }
        if (images.size(2) == height && images.size(3) == width) {
            return images.dup();
        }
        INDArray nhwc = images.permute(0, 2, 3, 1).dup('c');
        INDArray resized = Nd4j.create(images.dataType(), images.size(0), height, width, images.size(1));
        Nd4j.exec(new ResizeBilinear(nhwc, resized, height, width, false, true));
        return resized.permute(0, 3, 1, 2).dup('c');
    }

    /**
     * Keras "caffe" / DL4J zoo normalisation of RGB images with values 0-255: channels reordered to
     * BGR, then the ImageNet means {@link #IMAGENET_MEAN_BGR} subtracted, no scaling (DL4J's
     * {@link VGG16ImagePreProcessor} does the subtraction).
     */
    public static INDArray caffeNormalise(INDArray rgb255) {
        requireImages(rgb255, "caffeNormalise");
        if (rgb255.size(1) != 3) {
            throw new IllegalArgumentException("caffeNormalise needs RGB images [N, 3, H, W], got "
                    + Arrays.toString(rgb255.shape()));
        }
        INDArray bgr = rgb255.get(NDArrayIndex.all(), NDArrayIndex.indices(2, 1, 0), NDArrayIndex.all(),
                NDArrayIndex.all()).dup('c');
        new VGG16ImagePreProcessor().preProcess(bgr);
        return bgr;
    }

    static void requireImages(INDArray images, String what) {
        if (images == null || images.rank() != 4) {
            throw new IllegalArgumentException(what + " needs images [N, C, H, W], got "
                    + (images == null ? "null" : Arrays.toString(images.shape()))
                    + (images != null && images.rank() == 2 ? " (flat features: reshape them to [N, C, H, W] first)" : ""));
        }
        if (!images.dataType().isFPType()) {
            throw new IllegalArgumentException(what + " needs floating-point images, got " + images.dataType());
        }
    }
}
