package org.peft4j.bench.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.peft4j.bench.data.LabeledImages;

/**
 * A {@link LabeledImages} set in a form Java serialization ships to the executors (broadcast once per executor):
 * the raw pixels, the labels and the names, nothing decoded or converted on the way.
 */
final class ShippedImages implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final int channels;
    private final int height;
    private final int width;
    /** One {@code [C*H*W]} array of unsigned 8-bit pixels per image. */
    private final byte[][] pixels;
    /** One label per image, in {@code [0, classNames.size())}. */
    private final int[] labels;
    private final ArrayList<String> classNames;

    private ShippedImages(LabeledImages images) {
        this.name = images.name();
        this.channels = images.channels();
        this.height = images.height();
        this.width = images.width();
        this.pixels = new byte[images.size()][];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = images.pixels(i);
        }
        this.labels = images.labels();
        this.classNames = new ArrayList<>(images.classNames());
    }

    /** The set, pixel arrays shared (not copied). */
    static ShippedImages of(LabeledImages images) {
        return new ShippedImages(images);
    }

    /** The set again, equal in name, pixels, labels and classes (and so in its description). */
    LabeledImages images() {
        return new LabeledImages(name, channels, height, width, pixels, labels, List.copyOf(classNames));
    }
}
