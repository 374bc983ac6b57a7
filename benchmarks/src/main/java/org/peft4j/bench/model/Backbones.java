package org.peft4j.bench.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The backbones the runner knows, by name: {@code vgg16} and {@code resnet50} (need an input
 * size; optional weights file) and {@code vgg-mini}. An unknown name fails listing the known ones.
 */
public final class Backbones {

    /** Known names. */
    public static final List<String> NAMES = List.of(Vgg16Backbone.NAME, ResNet50Backbone.NAME, VggMiniBackbone.NAME);

    private Backbones() {
    }

    /**
     * The backbone called {@code name}.
     *
     * @param size    input size for backbones that take one (vgg16, resnet50); ignored by vgg-mini (28)
     * @param weights pretrained weights file for backbones that load one
     */
    public static Backbone byName(String name, int size, Optional<Path> weights) {
        switch (name) {
            case Vgg16Backbone.NAME:
                return new Vgg16Backbone(size, weights);
            case ResNet50Backbone.NAME:
                return new ResNet50Backbone(size, weights);
            case VggMiniBackbone.NAME:
                if (weights.isPresent()) {
                    throw new IllegalArgumentException("vgg-mini takes no weights file; fashion-transfer pretrains it itself");
                }
                return new VggMiniBackbone();
            default:
                throw new IllegalArgumentException("unknown backbone '" + name + "'; available in this build: "
                        + String.join(", ", NAMES));
        }
    }
}
