package org.peft4j.bench.report;

import java.util.Arrays;

/**
 * Summary statistics of a few numbers (runs): mean, sample standard deviation, minimum, quartiles
 * (linear interpolation between order statistics, NumPy's default), maximum. NaN values are ignored.
 *
 * @param count  values used
 * @param mean   arithmetic mean
 * @param sd     sample standard deviation (0 for one value)
 * @param min    smallest
 * @param q1     25th percentile
 * @param median 50th percentile
 * @param q3     75th percentile
 * @param max    largest
 */
public record Spread(int count, double mean, double sd, double min, double q1, double median, double q3, double max) {

    /** The spread of {@code values}; all NaN when none is a number. */
    public static Spread of(double... values) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return new Spread(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = Arrays.stream(v).average().orElseThrow();
        double ss = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
        double sd = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
        return new Spread(v.length, mean, sd, v[0], quantile(v, 0.25), quantile(v, 0.5), quantile(v, 0.75), v[v.length - 1]);
    }

    private static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /** {@code mean ± sd} with {@code digits} decimals, or {@code n/a}. */
    public String meanSd(int digits) {
        if (count == 0) {
            return "n/a";
        }
        String format = "%." + digits + "f";
        return count == 1 ? String.format(format, mean) : String.format(format + " ± " + format, mean, sd);
    }
}
