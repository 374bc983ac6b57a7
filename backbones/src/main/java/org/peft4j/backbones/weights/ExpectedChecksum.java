package org.peft4j.backbones.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.Adler32;

/**
 * The checksum a weights file must have before it is loaded: Adler-32 (what the DL4J zoo
 * publishes for its files, {@code ZooModel.pretrainedChecksum}), MD5 (what Keras' applications
 * pass as {@code file_hash}, e.g. {@code 6d6bbae143d832006294945121d1f1fc} for
 * {@code vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5}) or SHA-256 (what to pin for any other file).
 *
 * @param algorithm how the file is hashed
 * @param value     the expected value: Adler-32 as an unsigned decimal number, MD5 and SHA-256 as
 *                  32 and 64 lower-case hexadecimal digits; empty for {@link Algorithm#UNCHECKED}
 */
public record ExpectedChecksum(Algorithm algorithm, String value) {

    /** Checksum algorithms. */
    public enum Algorithm {
        ADLER32, MD5, SHA256,
        /** No check: for files the caller has produced and trusts. */
        UNCHECKED
    }

    private static final int BUFFER = 1 << 20;

    public ExpectedChecksum {
        if (algorithm == null || value == null) {
            throw new IllegalArgumentException("checksum algorithm and value must be given, got " + algorithm + " " + value);
        }
        value = value.trim().toLowerCase(Locale.ROOT);
        boolean valid = switch (algorithm) {
            case ADLER32 -> value.matches("\\d{1,10}") && Long.parseLong(value) <= 0xFFFFFFFFL;
            case MD5 -> value.matches("[0-9a-f]{32}");
            case SHA256 -> value.matches("[0-9a-f]{64}");
            case UNCHECKED -> value.isEmpty();
        };
        if (!valid) {
            throw new IllegalArgumentException("not a valid " + algorithm + " checksum: '" + value + "'");
        }
    }

    /** An Adler-32 checksum, e.g. the zoo's {@code 3501732770} for VGG16's ImageNet file. */
    public static ExpectedChecksum adler32(long value) {
        return new ExpectedChecksum(Algorithm.ADLER32, Long.toString(value));
    }

    /** An MD5 digest in hexadecimal (Keras' published {@code file_hash} values). */
    public static ExpectedChecksum md5(String hex) {
        return new ExpectedChecksum(Algorithm.MD5, hex);
    }

    /** A SHA-256 digest in hexadecimal. */
    public static ExpectedChecksum sha256(String hex) {
        return new ExpectedChecksum(Algorithm.SHA256, hex);
    }

    /** No check at all. */
    public static ExpectedChecksum unchecked() {
        return new ExpectedChecksum(Algorithm.UNCHECKED, "");
    }

    /** The checksum {@code file} has now, with {@code algorithm} (to pin a file you trust). */
    public static ExpectedChecksum of(Path file, Algorithm algorithm) throws IOException {
        return new ExpectedChecksum(algorithm, compute(file, algorithm));
    }

    /**
     * Checks {@code file} against this checksum.
     *
     * @throws WeightsFileException naming the file, the algorithm, the expected and the actual value,
     *     or saying that the file does not exist
     */
    public void verify(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new WeightsFileException(file, "no such file");
        }
        if (algorithm == Algorithm.UNCHECKED) {
            return;
        }
        String actual = compute(file, algorithm);
        if (!actual.equals(value)) {
            throw new WeightsFileException(file, algorithm + " checksum is " + actual + ", expected " + value
                    + ": the file is incomplete, corrupt or another file; it was not loaded");
        }
    }

    private static String compute(Path file, Algorithm algorithm) throws IOException {
        if (algorithm == Algorithm.UNCHECKED) {
            return "";
        }
        Adler32 adler = new Adler32();
        MessageDigest digest = digest(algorithm == Algorithm.MD5 ? "MD5" : "SHA-256");
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (algorithm == Algorithm.ADLER32) {
                    adler.update(buffer, 0, n);
                } else {
                    digest.update(buffer, 0, n);
                }
            }
        }
        return algorithm == Algorithm.ADLER32 ? Long.toString(adler.getValue()) : HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime lacks " + name + ", which every Java SE runtime must have", e);
        }
    }

    @Override
    public String toString() {
        return algorithm == Algorithm.UNCHECKED ? "unchecked" : algorithm + ":" + value;
    }
}
