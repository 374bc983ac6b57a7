package org.peft4j.bench.speed;

import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.peft4j.LayerSelector;
import org.peft4j.backbones.Cnn3dSmall;
import org.peft4j.backbones.Vgg16;
import org.peft4j.backbones.preprocessing.ChannelsLast;
import org.peft4j.backbones.VggMini;

/**
 * The networks of the {@code speed} protocol, each with its batch size, the convolutions adapter
 * methods target and the head that stays trainable.
 */
public enum BenchNetwork {

    /** vgg-mini on 1x28x28, batch 64; adapters on all six convolutions; head fc1 + predictions. */
    VGG_MINI("vgg-mini", 64, new long[] {1, 28, 28}, 5, LayerSelector.byType(ConvolutionLayer.class),
            List.of("fc1", "predictions"), "block3_pool"),

    /**
     * VGG16's convolutions on 3x64x64 with the paper head (4 classes), batch 16; adapters on the
     * convolutions of blocks 2-5 (as the paper's code); head head_conv + fc1 + predictions.
     */
    VGG16_64("vgg16-64", 16, new long[] {3, 64, 64}, 4, LayerSelector.byName("block[2-5]_conv\\d"),
            List.of("head_conv", "fc1", "predictions"), "block5_pool"),

    /** cnn3d-small on 1x16x16x16 volumes (11 classes, as OrganMNIST3D), batch 8; adapters on its 3D convolutions. */
    CNN3D_16("cnn3d-16", 8, new long[] {1, 16, 16, 16}, 11, LayerSelector.byType(Convolution3D.class),
            List.of("fc1", "predictions"), "gap"),

    /** cnn3d-small on 1x28x28x28 volumes (MedMNIST 3D's size), batch 8. */
    CNN3D_28("cnn3d-28", 8, new long[] {1, 28, 28, 28}, 11, LayerSelector.byType(Convolution3D.class),
            List.of("fc1", "predictions"), "gap"),

    /** cnn3d-small on 1x48x48x48 volumes, batch 8. */
    CNN3D_48("cnn3d-48", 8, new long[] {1, 48, 48, 48}, 11, LayerSelector.byType(Convolution3D.class),
            List.of("fc1", "predictions"), "gap");

    private final String id;
    private final int batch;
    private final long[] inputShape;
    private final int classes;
    private final LayerSelector targets;
    private final List<String> head;
    private final String lastFrozen;

    BenchNetwork(String id, int batch, long[] inputShape, int classes, LayerSelector targets, List<String> head,
            String lastFrozen) {
        this.id = id;
        this.batch = batch;
        this.inputShape = inputShape;
        this.classes = classes;
        this.targets = targets;
        this.head = head;
        this.lastFrozen = lastFrozen;
    }

    /**
     * A freshly initialised network (float), channels-last ({@code NHWC}, {@code NDHWC}: fed with
     * {@link ChannelsLast}) or in DL4J's default layout.
     */
    public Model create(long seed, boolean channelsLast) {
        CNN2DFormat format = channelsLast ? CNN2DFormat.NHWC : CNN2DFormat.NCHW;
        return switch (this) {
            case VGG_MINI -> VggMini.create(classes, seed, format);
            case VGG16_64 -> Vgg16.withPaperHead(3, 64, classes, seed, format);
            case CNN3D_16, CNN3D_28, CNN3D_48 -> Cnn3dSmall.create(1, (int) inputShape[1], classes, seed,
                    channelsLast ? Convolution3D.DataFormat.NDHWC : Convolution3D.DataFormat.NCDHW);
        };
    }


    /** The protocol's name, e.g. {@code vgg-mini}. */
    public String id() {
        return id;
    }

    /** The protocol's batch size. */
    public int batch() {
        return batch;
    }

    /** One example's shape, channels first. */
    public long[] inputShape() {
        return inputShape.clone();
    }

    public int classes() {
        return classes;
    }

    /** The convolutions adapter methods adapt. */
    public LayerSelector targets() {
        return targets;
    }

    /** The layers that stay trainable besides the adapters (and make up head-only training). */
    public List<String> head() {
        return head;
    }

    /** The last layer of the frozen feature extractor in head-only training. */
    public String lastFrozen() {
        return lastFrozen;
    }

    /** The network named {@code id}. */
    public static BenchNetwork of(String id) {
        return Arrays.stream(values()).filter(n -> n.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown network '" + id + "'; known: "
                        + Arrays.stream(values()).map(BenchNetwork::id).toList()));
    }
}
