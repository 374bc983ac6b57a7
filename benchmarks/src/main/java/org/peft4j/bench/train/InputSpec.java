package org.peft4j.bench.train;

/**
 * What a network expects as input: {@code [N, channels, size, size]} float images, scaled by
 * {@link #normalisation}.
 *
 * @param channels      1 or 3 (grayscale images are repeated into 3 channels)
 * @param size          height and width (images of another size are resized bilinearly)
 * @param normalisation how pixel values 0..255 are scaled
 */
public record InputSpec(int channels, int size, Normalisation normalisation) {

    /** How pixel values are scaled. */
    public enum Normalisation {
        /** Divide by 255: values in [0, 1] (fashion-transfer, networks trained from scratch). */
        UNIT,
        /** Keep 0..255 and subtract the ImageNet channel means of the Keras/DL4J VGG16 weights. */
        VGG_IMAGENET
    }

    /** Readable text for settings and summaries, e.g. {@code 3x32x32, VGG ImageNet channel means subtracted}. */
    public String describe() {
        return channels + "x" + size + "x" + size + ", " + (normalisation == Normalisation.UNIT ? "pixels / 255"
                : "VGG ImageNet channel means subtracted");
    }

    public InputSpec {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("input channels must be 1 or 3, got " + channels);
        }
        if (size < 1) {
            throw new IllegalArgumentException("input size must be >= 1, got " + size);
        }
        if (normalisation == null) {
            throw new IllegalArgumentException("normalisation must be given (UNIT or VGG_IMAGENET)");
        }
        if (normalisation == Normalisation.VGG_IMAGENET && channels != 3) {
            throw new IllegalArgumentException("VGG_IMAGENET normalisation needs 3 input channels, got " + channels);
        }
    }
}
