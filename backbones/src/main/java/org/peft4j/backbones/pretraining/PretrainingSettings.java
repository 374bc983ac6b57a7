package org.peft4j.backbones.pretraining;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What a source-task pretraining run is: the backbone, the task and the optimiser. Equal settings
 * give the same cache file, so a second run loads the network instead of training it again.
 *
 * @param backbone     the small backbone, {@code vgg-mini} (input [N, 1, 28, 28] in [0, 1])
 * @param classes      source-task classes, e.g. 5 for Fashion-MNIST labels 0-4
 * @param epochs       passes over the source data, at least 1
 * @param learningRate Adam's learning rate, positive
 * @param batchSize    the iterator's batch size, at least 1 (checked against the iterator)
 * @param seed         the network's initialisation seed (and ND4J's random seed during training)
 * @param data         what the source data is, precisely enough to tell two data sets apart
 *                     (e.g. {@code "fashion-mnist train labels 0-4, first 30000 rows, sha256 of the IDX files ..."});
 *                     part of the cache key
 */
public record PretrainingSettings(String backbone, int classes, int epochs, double learningRate, int batchSize,
        long seed, String data) {

    /** The backbone this class knows how to pretrain. */
    public static final String VGG_MINI = "vgg-mini";

    public PretrainingSettings {
        if (!VGG_MINI.equals(backbone)) {
            throw new IllegalArgumentException("pretraining supports backbone '" + VGG_MINI + "', got '" + backbone + "'");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("a source task needs classes >= 2, got " + classes);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a positive number, got " + learningRate);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (data == null || data.isBlank()) {
            throw new IllegalArgumentException("data must describe the source data set (it is part of the cache key)");
        }
    }

    /**
     * Step one of the fashion-transfer protocol (docs/protocols.md): {@code vgg-mini}, labels 0-4
     * (5 classes), 3 epochs, Adam lr 1e-3, batch 64, seed 0.
     */
    public static PretrainingSettings fashionTransfer(String data) {
        return new PretrainingSettings(VGG_MINI, 5, 3, 1e-3, 64, 0, data);
    }

    /** A 16-hex-digit key: the start of the SHA-256 of every setting. */
    public String cacheKey() {
        String canonical = String.join("\n", backbone, Integer.toString(classes), Integer.toString(epochs),
                String.format(Locale.ROOT, "%.17g", learningRate), Integer.toString(batchSize), Long.toString(seed), data);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime lacks SHA-256, which every Java SE runtime must have", e);
        }
    }

    /** The cache file's name, e.g. {@code vgg-mini-3f2a9c0d11b4e5f6.zip}. */
    public String fileName() {
        return backbone + "-" + cacheKey() + ".zip";
    }
}
