package org.peft4j.bench.subset;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Which training images a run uses (CoLoRA paper §4.1). Each kind gives indices into the training
 * set, deterministically, grouped by class in class order and in file order within a class unless
 * said otherwise.
 *
 * <ul>
 *   <li>{@link Full}: every image, in file order;</li>
 *   <li>{@link Balanced}: the first {@code perClass} images of each class in file order
 *       (paper: 7,754 per class, 31,016 in all);</li>
 *   <li>{@link Distilled}: per class, images sorted by a given model's predictive entropy
 *       (highest first, ties by file order), the {@code drop} highest dropped, the next
 *       {@code keep} kept (paper: drop 10, keep 7,040).</li>
 * </ul>
 */
public sealed interface TrainingSubset {

    /** Paper defaults. */
    int PAPER_BALANCED = 7754;
    int PAPER_DISTILLED_DROP = 10;
    int PAPER_DISTILLED_KEEP = 7040;

    /** Short description used in file names and reports, e.g. {@code balanced:7754}. */
    String describe();

    /** True when {@link #indices} needs per-image entropies. */
    default boolean needsEntropy() {
        return false;
    }

    /**
     * The chosen indices.
     *
     * @param labels  label of each training image, in {@code [0, classes)}
     * @param classes number of classes
     * @param entropy predictive entropy per image, or null when {@link #needsEntropy()} is false
     * @throws IllegalArgumentException naming the class when it has too few images
     */
    int[] indices(int[] labels, int classes, double[] entropy);

    /** Parses {@code full}, {@code balanced}, {@code balanced:N}, {@code distilled}, {@code distilled:D:K}. */
    static TrainingSubset parse(String text) {
        String[] parts = text.trim().split(":");
        try {
            switch (parts[0]) {
                case "full":
                    if (parts.length == 1) {
                        return new Full();
                    }
                    break;
                case "balanced":
                    if (parts.length <= 2) {
                        return new Balanced(parts.length == 1 ? PAPER_BALANCED : Integer.parseInt(parts[1]));
                    }
                    break;
                case "distilled":
                    if (parts.length == 1) {
                        return new Distilled(PAPER_DISTILLED_DROP, PAPER_DISTILLED_KEEP);
                    }
                    if (parts.length == 3) {
                        return new Distilled(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
                    }
                    break;
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad training subset '" + text + "': " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("bad training subset '" + text
                + "'; use full, balanced[:perClass] or distilled[:drop:keep]");
    }

    /** Every image. */
    record Full() implements TrainingSubset {
        @Override
        public String describe() {
            return "full";
        }

        @Override
        public int[] indices(int[] labels, int classes, double[] entropy) {
            return IntStream.range(0, labels.length).toArray();
        }
    }

    /** @param perClass images of each class, at least 1 */
    record Balanced(int perClass) implements TrainingSubset {
        public Balanced {
            if (perClass < 1) {
                throw new IllegalArgumentException("balanced perClass must be >= 1, got " + perClass);
            }
        }

        @Override
        public String describe() {
            return "balanced:" + perClass;
        }

        @Override
        public int[] indices(int[] labels, int classes, double[] entropy) {
            List<List<Integer>> byClass = byClass(labels, classes);
            int[] chosen = new int[perClass * classes];
            int next = 0;
            for (int c = 0; c < classes; c++) {
                List<Integer> members = byClass.get(c);
                requireCount(c, members.size(), perClass, "balanced:" + perClass);
                for (int i = 0; i < perClass; i++) {
                    chosen[next++] = members.get(i);
                }
            }
            return chosen;
        }
    }

    /**
     * @param drop highest-entropy images dropped per class, at least 0
     * @param keep images kept per class after those, at least 1
     */
    record Distilled(int drop, int keep) implements TrainingSubset {
        public Distilled {
            if (drop < 0 || keep < 1) {
                throw new IllegalArgumentException("distilled needs drop >= 0 and keep >= 1, got drop=" + drop
                        + ", keep=" + keep);
            }
        }

        @Override
        public String describe() {
            return "distilled:" + drop + ":" + keep;
        }

        @Override
        public boolean needsEntropy() {
            return true;
        }

        @Override
        public int[] indices(int[] labels, int classes, double[] entropy) {
            if (entropy == null || entropy.length != labels.length) {
                throw new IllegalArgumentException("distilled needs one entropy per training image: " + labels.length
                        + " images, " + (entropy == null ? "no" : String.valueOf(entropy.length)) + " entropies");
            }
            List<List<Integer>> byClass = byClass(labels, classes);
            int[] chosen = new int[keep * classes];
            int next = 0;
            for (int c = 0; c < classes; c++) {
                List<Integer> members = new ArrayList<>(byClass.get(c));
                requireCount(c, members.size(), drop + keep, describe());
                members.sort(Comparator.comparingDouble((Integer i) -> entropy[i]).reversed()
                        .thenComparingInt(i -> i));
                for (int i = drop; i < drop + keep; i++) {
                    chosen[next++] = members.get(i);
                }
            }
            return chosen;
        }
    }

    private static List<List<Integer>> byClass(int[] labels, int classes) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is outside [0, " + classes + ")");
            }
            byClass.get(labels[i]).add(i);
        }
        return byClass;
    }

    private static void requireCount(int label, int have, int need, String subset) {
        if (have < need) {
            throw new IllegalArgumentException("training subset " + subset + " needs " + need
                    + " images of class " + label + " but the training set has " + have);
        }
    }
}
