package org.peft4j.bench.speed;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The flags of {@link SpeedBenchmark#main}, on top of {@link SpeedOptions#protocol}:
 * {@code --out DIR} (default {@code results/speed}), {@code --networks vgg-mini,vgg16-64},
 * {@code --methods full,head-only,colora,...}, {@code --warmup N}, {@code --iterations N},
 * {@code --batch N} (0: the protocol's), {@code --seed N}.
 */
final class SpeedArgs {

    private SpeedArgs() {
    }

    static SpeedOptions parse(String[] args) {
        SpeedOptions o = SpeedOptions.protocol(Path.of("results", "speed"));
        List<BenchNetwork> networks = o.networks();
        List<String> methods = o.methods();
        int warmups = o.warmups();
        int iterations = o.iterations();
        int batch = o.batch();
        long seed = o.seed();
        Path out = o.outputDir();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("flag " + flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--out" -> out = Path.of(value);
                case "--networks" -> networks = Arrays.stream(value.split(",")).map(String::trim).map(BenchNetwork::of).toList();
                case "--methods" -> methods = Arrays.stream(value.split(",")).map(String::trim).toList();
                case "--warmup" -> warmups = integer(flag, value);
                case "--iterations" -> iterations = integer(flag, value);
                case "--batch" -> batch = integer(flag, value);
                case "--seed" -> seed = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown flag " + flag
                        + "; known: --out --networks --methods --warmup --iterations --batch --seed");
            }
        }
        return new SpeedOptions(networks, warmups, iterations, out, seed, methods, o.configs(), batch);
    }

    private static int integer(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs an integer, got '" + value + "'", e);
        }
    }
}
