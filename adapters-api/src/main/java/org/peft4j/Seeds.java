package org.peft4j;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeds as ND4J needs them. ND4J 1.0.0-M2.1's native random generator does not reproduce seed 0: two
 * {@code Nd4j.getRandom().setSeed(0)} calls are followed by different draws (measured on this CPU backend;
 * every other seed tried, including negative ones, reproduces). DL4J hands a configuration's seed straight
 * to that generator ({@code NeuralNetConfiguration.Builder.seed}, {@code MultiLayerNetwork.init}), so a
 * network configured with seed 0 starts from different weights every time. peft4j passes every seed it
 * gives ND4J or DL4J through {@link #nd4j}: 0 becomes {@link Long#MIN_VALUE}, all other seeds are unchanged
 * (so seeds 0 and {@code Long.MIN_VALUE} give the same stream).
 */
public final class Seeds {

    private Seeds() {
    }

    /** {@code seed}, or {@link Long#MIN_VALUE} for 0: a seed ND4J reproduces. */
    public static long nd4j(long seed) {
        return seed == 0 ? Long.MIN_VALUE : seed;
    }

    /** Seeds ND4J's random generator (of the calling thread) with {@link #nd4j}{@code (seed)}. */
    public static void seedNd4j(long seed) {
        Nd4j.getRandom().setSeed(nd4j(seed));
    }
}
