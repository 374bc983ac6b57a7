package org.peft4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.nd4j.linalg.learning.config.IUpdater;
import org.peft4j.spi.AdapterConfig;

/**
 * What to adapt and how: one or more rules (layers, method, hyper-parameters), optional per-layer rank
 * and alpha overrides, the other layers that stay trainable (Hugging Face PEFT's {@code modules_to_save}),
 * an optional new output layer for a new class count, and an optional updater for every trainable
 * parameter.
 *
 * <pre>{@code
 * PeftConfig config = PeftConfig.builder()
 *         .method("lora")                                   // one method: method + targets (+ config)
 *         .config(new LoraConfig(8, 16, 0.0, LoraInit.KAIMING_UNIFORM))   // optional: method default
 *         .targets(LayerSelector.byType(DenseLayer.class))
 *         .trainable(LayerSelector.names("fc2"))            // optional: default none
 *         .newOutput(4)                                      // optional: new head with 4 classes
 *         .updater(new Adam(1e-3))                           // optional: default keeps each layer's
 *         .build();
 *
 * PeftConfig mixed = PeftConfig.builder()                   // several methods: one rule each
 *         .rule(LayerSelector.byType(ConvolutionLayer.class), "colora")
 *         .rule(LayerSelector.byType(DenseLayer.class), "lora", LoraConfig.of(8, 16))
 *         .rankPattern(LayerSelector.names("fc1"), 16)      // optional: per-layer rank
 *         .build();
 * }</pre>
 */
public final class PeftConfig {

    private final List<AdapterRule> rules;
    private final Map<LayerSelector, Integer> rankPattern;
    private final Map<LayerSelector, Double> alphaPattern;
    private final LayerSelector trainable;
    private final Integer outputClasses;
    private final IUpdater updater;

    private PeftConfig(Builder builder, List<AdapterRule> rules) {
        this.rules = List.copyOf(rules);
        this.rankPattern = Collections.unmodifiableMap(new LinkedHashMap<>(builder.rankPattern));
        this.alphaPattern = Collections.unmodifiableMap(new LinkedHashMap<>(builder.alphaPattern));
        this.trainable = builder.trainable;
        this.outputClasses = builder.outputClasses;
        this.updater = builder.updater;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The rules, in the order given ({@link Builder#method} first when set). */
    public List<AdapterRule> rules() {
        return rules;
    }

    /**
     * The adapter method name, e.g. {@code lora}, of a configuration with one rule.
     *
     * @throws IllegalStateException when it has several rules (see {@link #rules()})
     */
    public String method() {
        return singleRule("method").method();
    }

    /** The method's hyper-parameters of a configuration with one rule; empty means the method's default. */
    public Optional<AdapterConfig> config() {
        return singleRule("config").config();
    }

    /** The layers to adapt, of a configuration with one rule. */
    public LayerSelector targets() {
        return singleRule("targets").targets();
    }

    /** Rank overrides: a layer adapted by any rule and matched by a selector gets that rank. */
    public Map<LayerSelector, Integer> rankPattern() {
        return rankPattern;
    }

    /** Alpha overrides: a layer adapted by any rule and matched by a selector gets that alpha. */
    public Map<LayerSelector, Double> alphaPattern() {
        return alphaPattern;
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

    private AdapterRule singleRule(String what) {
        if (rules.size() != 1) {
            throw new IllegalStateException("this PeftConfig has " + rules.size() + " rules " + rules
                    + ", so it has no single " + what + "; see rules()");
        }
        return rules.get(0);
    }

    @Override
    public String toString() {
        String adapters = rules.size() == 1
                ? "method=" + method() + ", config=" + config().orElse(null) + ", targets=" + targets().describe()
                : "rules=" + rules;
        return "PeftConfig{" + adapters + (rankPattern.isEmpty() ? "" : ", rankPattern=" + rankPattern)
                + (alphaPattern.isEmpty() ? "" : ", alphaPattern=" + alphaPattern)
                + ", trainable=" + (trainable == null ? "none" : trainable.describe()) + ", outputClasses=" + outputClasses
                + ", updater=" + updater + "}";
    }

    /**
     * Builder: one rule as {@link #method} with {@link #targets} (and optionally {@link #config}), and/or any
     * number of {@link #rule}s; at least one rule in all.
     */
    public static final class Builder {
        private String method;
        private AdapterConfig config;
        private LayerSelector targets;
        private final List<AdapterRule> rules = new ArrayList<>();
        private final Map<LayerSelector, Integer> rankPattern = new LinkedHashMap<>();
        private final Map<LayerSelector, Double> alphaPattern = new LinkedHashMap<>();
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

        /** Adapts the layers {@code targets} selects with {@code method} and its default configuration. */
        public Builder rule(LayerSelector targets, String method) {
            rules.add(new AdapterRule(targets, method, Optional.empty()));
            return this;
        }

        /** Adapts the layers {@code targets} selects with {@code method} and {@code config}. */
        public Builder rule(LayerSelector targets, String method, AdapterConfig config) {
            rules.add(new AdapterRule(targets, method, Optional.of(Objects.requireNonNull(config, "config"))));
            return this;
        }

        /**
         * Gives the adapted layers {@code layers} selects rank {@code rank} instead of their rule's (Hugging Face
         * PEFT's {@code rank_pattern}). It must match at least one adapted layer, each of whose methods has a
         * rank; a layer may be matched by one rank pattern only.
         */
        public Builder rankPattern(LayerSelector layers, int rank) {
            Objects.requireNonNull(layers, "layers");
            if (rank < 1) {
                throw new IllegalArgumentException("rankPattern " + layers.describe() + ": rank must be >= 1, got " + rank);
            }
            rankPattern.put(layers, rank);
            return this;
        }

        /** As {@link #rankPattern}, for the scale numerator alpha (Hugging Face PEFT's {@code alpha_pattern}). */
        public Builder alphaPattern(LayerSelector layers, double alpha) {
            Objects.requireNonNull(layers, "layers");
            if (!(alpha > 0) || Double.isInfinite(alpha)) {
                throw new IllegalArgumentException("alphaPattern " + layers.describe()
                        + ": alpha must be a positive finite number, got " + alpha);
            }
            alphaPattern.put(layers, alpha);
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
            List<AdapterRule> all = new ArrayList<>();
            if (method == null && (targets != null || config != null || rules.isEmpty())) {
                throw new IllegalArgumentException("PeftConfig needs a method, e.g. .method(\"lora\"), or rules, "
                        + "e.g. .rule(LayerSelector.byType(DenseLayer.class), \"lora\")");
            }
            if (method != null) {
                if (targets == null) {
                    throw new IllegalArgumentException("PeftConfig needs target layers, e.g. .targets(LayerSelector.byType(DenseLayer.class))");
                }
                all.add(new AdapterRule(targets, method, Optional.ofNullable(config)));
            }
            all.addAll(rules);
            return new PeftConfig(this, all);
        }
    }
}
