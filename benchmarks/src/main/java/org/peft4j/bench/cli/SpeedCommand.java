package org.peft4j.bench.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.peft4j.AdapterRegistry;
import org.peft4j.bench.speed.BenchNetwork;
import org.peft4j.bench.speed.SpeedBenchmark;
import org.peft4j.bench.speed.SpeedMarkdown;
import org.peft4j.bench.speed.SpeedOptions;
import org.peft4j.bench.speed.SpeedReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code peft4j speed}: the speed protocol ({@link SpeedBenchmark}): per network, every method's
 * training step, adapted and merged inference against the base, parameters and memory, in one
 * process with the methods timed in turns. Defaults are the protocol's ({@link SpeedOptions#protocol}).
 */
@Command(name = "speed", mixinStandardHelpOptions = true,
        description = {"The speed protocol: median training-step time, inference time of adapted and merged models, "
                + "parameters and memory per method, as ratios to full fine-tuning measured in the same run.",
            "Writes speed.json and speed.md into --out."})
final class SpeedCommand implements Callable<Integer> {

    @Option(names = "--networks", split = ",", paramLabel = "NAME",
            description = "Networks to measure (default: vgg-mini,vgg16-64, the protocol's); also cnn3d-16, cnn3d-28, "
                    + "cnn3d-48 (cnn3d-small on volumes of that edge).")
    List<String> networks;

    @Option(names = "--methods", split = ",", paramLabel = "NAME",
            description = "full, head-only, backprop-floor (an adapter on the lowest target alone: the least a method "
                    + "adapting every target can cost) and adapter method names (default: all; methods that cannot "
                    + "adapt a network's target layers are listed as skipped).")
    List<String> methods = List.of();

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed steps per method at least (default ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--until-jit-settles", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Go on warming up until the JVM's JIT compiler has settled: it compiled for at most 2%% of "
                    + "the last 10 rounds' time (at most 180 s per phase; default: on, as the protocol asks). "
                    + "--no-until-jit-settles runs exactly --warmup rounds.")
    boolean untilJitSettles;

    @Option(names = "--channels-last", description = "Build the networks channels-last (NHWC, 3D: NDHWC) and feed "
            + "them so, instead of DL4J's default NCHW / NCDHW: the layout oneDNN's kernels work in on AVX-512 CPUs. "
            + "Not the protocol's layout: such a run is marked as not the protocol.")
    boolean channelsLast;

    @Option(names = "--iterations", defaultValue = "15", description = "Timed steps per method (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--batch", defaultValue = "0", description = "Examples per step (default: each network's, 64 / 16 / 8).")
    int batch;

    @Option(names = "--seed", defaultValue = "0", description = "Initialisation and data seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "results/speed", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--pytorch", paramLabel = "FILE", description = "The PyTorch reference's timings of the same "
            + "protocol on this machine (benchmarks/pytorch/speed_reference.py), printed side by side.")
    Path pytorch;

    @Override
    public Integer call() throws Exception {
        SpeedOptions options = options();
        SpeedReport report = SpeedBenchmark.run(options, AdapterRegistry.fromClasspath(),
                line -> System.err.println("speed: " + line));
        System.out.println(SpeedMarkdown.of(report));
        System.out.println("written: " + options.outputDir().resolve("speed.json") + ", "
                + options.outputDir().resolve("speed.md"));
        return 0;
    }

    /** The protocol's settings with this command's flags applied. */
    SpeedOptions options() {
        SpeedOptions protocol = SpeedOptions.protocol(out);
        List<BenchNetwork> chosen = networks == null ? protocol.networks()
                : networks.stream().map(String::trim).map(BenchNetwork::of).toList();
        return new SpeedOptions(chosen, warmups, untilJitSettles, iterations, out, seed,
                methods.stream().map(String::trim).toList(), protocol.configs(), batch, pytorch, channelsLast);
    }
}
