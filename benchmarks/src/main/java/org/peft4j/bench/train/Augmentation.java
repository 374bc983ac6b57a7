package org.peft4j.bench.train;

/**
 * Training-time augmentation of the official CoLoRA code: a random horizontal flip and a random
 * brightness shift, drawn per image.
 *
 * @param flip       flip each image left-right with probability 1/2
 * @param brightness add a uniform shift in {@code [-brightness, +brightness]} (fraction of the 0..255
 *                   range) to every pixel, then clip; 0 disables it
 */
public record Augmentation(boolean flip, double brightness) {

    /** No augmentation. */
    public static final Augmentation NONE = new Augmentation(false, 0);
    /** Flip + brightness shift of up to 0.1 (as {@code tf.image.random_brightness(x, 0.1)} on [0, 1] images). */
    public static final Augmentation FLIP_AND_BRIGHTNESS = new Augmentation(true, 0.1);

    public Augmentation {
        if (!(brightness >= 0 && brightness <= 1)) {
            throw new IllegalArgumentException("brightness shift must be in [0, 1], got " + brightness);
        }
    }

    /** Readable text for settings and summaries, e.g. {@code random horizontal flip, brightness shift up to 0.1}. */
    public String describe() {
        if (!active()) {
            return "none";
        }
        String shift = brightness > 0 ? "brightness shift up to " + brightness : "";
        return flip ? "random horizontal flip" + (shift.isEmpty() ? "" : ", " + shift) : shift;
    }

    /** True when it changes anything. */
    public boolean active() {
        return flip || brightness > 0;
    }
}
