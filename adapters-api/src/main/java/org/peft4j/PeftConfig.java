package org.peft4j;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.nd4j.linalg.learning.config.IUpdater;
import org.peft4j.spi.AdapterConfig;

/**
 * What to adapt and how: the method, its hyper-parameters, the target layers, the other layers
 * that stay trainable (Hugging Face PEFT's {@code modules_to_save}), an optional new output layer
 * for a new class count, and an optional updater for every trainable parameter.
 *
 * <pre>{@code
 * PeftConfig config = PeftConfig.builder()
 *         .method("lora")                                   // required: a registered method
 *         .config(new LoraConfig(8, 16, 0.0, LoraInit.KAIMING_UNIFORM))   // optional: method default
 *         .targets(LayerSelector.byType(DenseLayer.class))  // required
 *         .trainable(LayerSelector.names("fc2"))            // optional: default none
 *         .newOutput(4)                                      // optional: new head with 4 classes
 *         .updater(new Adam(1e-3))                           // optional: default keeps each layer's
 *         .build();
 * }</pre>
 */
public final class PeftConfig {

    private final String method;
    private final AdapterConfig config;
    private final LayerSelector targets;
    private final LayerSelector trainable;
    private final Integer outputClasses;
    private final IUpdater updater;

    private PeftConfig(Builder builder) {
        this.method = builder.method;
        this.config = builder.config;
        this.targets = builder.targets;
        this.trainable = builder.trainable;
        this.outputClasses = builder.outputClasses;
        this.updater = builder.updater;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The adapter method name, e.g. {@code lora}. */
    public String method() {
        return method;
    }

    /** The method's hyper-parameters; empty means the method's default. */
    public Optional<AdapterConfig> config() {
        return Optional.ofNullable(config);
    }

    /** The layers to adapt. */
    public LayerSelector targets() {
        return targets;
    }

    /** Other layers that stay fully trainable; all remaining layers are frozen. Empty: none. */
    public Optional<LayerSelector> trainable() {
        return Optional.ofNullable(trainable);
    }

    /**
     * Class count of a new, freshly initialised, trainable head; empty keeps the head (frozen). The head is the
     * output layer, or, when that has no parameters (a {@code LossLayer}), the weight layer feeding it through
     * parameter-free layers such as pooling and activation; Peft.apply refuses networks where neither applies.
     */
    public OptionalInt outputClasses() {
        return outputClasses == null ? OptionalInt.empty() : OptionalInt.of(outputClasses);
    }

    /** Updater for every trainable parameter; empty keeps each layer's own updater. */
    public Optional<IUpdater> updater() {
        return Optional.ofNullable(updater);
    }

    @Override
    public String toString() {
        return "PeftConfig{method=" + method + ", config=" + config + ", targets=" + targets.describe()
                + ", trainable=" + (trainable == null ? "none" : trainable.describe()) + ", outputClasses=" + outputClasses
                + ", updater=" + updater + "}";
    }

    /** Builder: {@link #method} and {@link #targets} are required. */
    public static final class Builder {
        private String method;
        private AdapterConfig config;
        private LayerSelector targets;
        private LayerSelector trainable;
        private Integer outputClasses;
        private IUpdater updater;

        private Builder() {
        }

        public Builder method(String method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        public Builder config(AdapterConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        public Builder targets(LayerSelector targets) {
            this.targets = Objects.requireNonNull(targets, "targets");
            return this;
        }

        public Builder trainable(LayerSelector trainable) {
            this.trainable = Objects.requireNonNull(trainable, "trainable");
            return this;
        }

        /** A new head for {@code classes} classes (see {@link PeftConfig#outputClasses()}); at least 1. */
        public Builder newOutput(int classes) {
            if (classes < 1) {
                throw new IllegalArgumentException("newOutput classes must be >= 1, got " + classes);
            }
            this.outputClasses = classes;
            return this;
        }

        public Builder updater(IUpdater updater) {
            this.updater = Objects.requireNonNull(updater, "updater");
            return this;
        }

        public PeftConfig build() {
            if (method == null) {
                throw new IllegalArgumentException("PeftConfig needs a method, e.g. .method(\"lora\")");
            }
            if (targets == null) {
                throw new IllegalArgumentException("PeftConfig needs target layers, e.g. .targets(LayerSelector.byType(DenseLayer.class))");
            }
            return new PeftConfig(this);
        }
    }
}
