package org.peft4j.bench.volumetric;

import java.util.Random;

/**
 * Generated volumes in the MedMNIST 3D layout, for examples and tests when no MedMNIST file is at
 * hand: each volume holds a bright ellipsoid ("organ") whose shape depends on its class, a fainter
 * distractor blob, and noisy background. Class {@code c} stretches the organ 2.5x along axis
 * {@code c mod 3} and makes it a hollow shell for {@code c >= 3} (solid below); its position,
 * radii and brightness are drawn per volume, so the class is in the shape, not the place (a
 * network with global pooling can learn it). The same seed gives the same volumes.
 */
public final class SyntheticVolumes {

    /** Classes the generator distinguishes: 3 elongation axes x solid or hollow. */
    public static final int MAX_CLASSES = 6;

    private SyntheticVolumes() {
    }

    /**
     * {@code count} volumes of {@code size}^3, labels cycling through {@code 0..classes-1}.
     *
     * @param name for messages, e.g. {@code synthetic:train}
     */
    public static VolumeSplit generate(String name, int count, int size, int classes, long seed) {
        if (count < 1 || size < 8 || classes < 1 || classes > MAX_CLASSES) {
            throw new IllegalArgumentException("synthetic volumes need count >= 1, size >= 8 and 1-" + MAX_CLASSES
                    + " classes, got count=" + count + ", size=" + size + ", classes=" + classes);
        }
        Random random = new Random(seed);
        int volume = size * size * size;
        byte[] voxels = new byte[count * volume];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % classes;
            fill(voxels, i * volume, size, labels[i], random);
        }
        return new VolumeSplit(name, new int[] {size, size, size}, voxels, labels);
    }

    private static void fill(byte[] voxels, int offset, int size, int label, Random random) {
        double[] organ = new double[3];
        double[] radii = new double[3];
        double[] distractor = new double[3];
        double[] distractorRadii = new double[3];
        double radius = size / 9.0 * (0.85 + 0.3 * random.nextDouble());
        for (int a = 0; a < 3; a++) {
            radii[a] = radius * (a == label % 3 ? 2.5 : 1.0);
            organ[a] = radii[a] + 1 + random.nextDouble() * Math.max(0, size - 2 * radii[a] - 2);
            distractor[a] = size * (0.2 + 0.6 * random.nextDouble());
            distractorRadii[a] = size / 10.0;
        }
        boolean hollow = label >= 3;
        double shell = Math.max(1.5, radius / 2) / radius;
        double brightness = 140 + 90 * random.nextDouble();
        double faint = 50 + 40 * random.nextDouble();
        for (int d = 0; d < size; d++) {
            for (int h = 0; h < size; h++) {
                for (int w = 0; w < size; w++) {
                    double value = 30 + 18 * random.nextGaussian();
                    double r = distance(d, h, w, organ, radii);
                    if (r <= 1 && (!hollow || r >= 1 - shell)) {
                        value += brightness;
                    } else if (distance(d, h, w, distractor, distractorRadii) <= 1) {
                        value += faint;
                    }
                    voxels[offset + (d * size + h) * size + w] = (byte) Math.max(0, Math.min(255, Math.round(value)));
                }
            }
        }
    }

    /** The ellipsoidal radius of (d, h, w): below 1 inside the ellipsoid. */
    private static double distance(int d, int h, int w, double[] centre, double[] radii) {
        double x = (d - centre[0]) / radii[0];
        double y = (h - centre[1]) / radii[1];
        double z = (w - centre[2]) / radii[2];
        return Math.sqrt(x * x + y * y + z * z);
    }
}
