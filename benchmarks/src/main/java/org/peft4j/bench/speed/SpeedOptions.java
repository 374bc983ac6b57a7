package org.peft4j.bench.speed;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.peft4j.AdapterRegistry;
import org.peft4j.lora.LoraConfig;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.tcurlora.TcurloraMethod;

/**
 * Settings of one run of the {@code speed} protocol.
 *
 * @param networks   the networks to measure, in order
 * @param warmups    untimed training iterations (and inference calls) per method before timing, at least; protocol: 5
 * @param untilJitSettles whether the warm-up goes on until the JVM's JIT compiler has settled ({@link WarmUp});
 *                   protocol: yes
 * @param iterations timed iterations per method; protocol: at least 15
 * @param outputDir  where {@code speed.json} and {@code speed.md} are written (created if needed)
 * @param seed       initialisation and data seed
 * @param methods    the methods to measure ({@code full}, {@code head-only}, {@code backprop-floor} and registry names);
 *                   empty: all
 * @param configs    hyper-parameters per adapter method; methods not listed use their defaults
 * @param batch      examples per step, or 0 for each network's protocol batch (64 / 16)
 * @param pytorch    the PyTorch reference's timings of the same protocol on the same machine, or null
 * @param channelsLast build the networks channels-last (NHWC, NDHWC) and feed them so; protocol: no (DL4J's default
 *                   layout, NCHW / NCDHW)
 */
public record SpeedOptions(List<BenchNetwork> networks, int warmups, boolean untilJitSettles, int iterations,
        Path outputDir, long seed, List<String> methods, Map<String, AdapterConfig> configs, int batch, Path pytorch,
        boolean channelsLast) {

    /** The reference baselines measured besides the registry's methods. */
    public static final String FULL = "full";
    public static final String HEAD_ONLY = "head-only";
    /**
     * The least a method adapting every target can cost: an adapter on the lowest target alone, so that the backward
     * pass still runs through every other target, frozen, for its input gradient only ({@link Contenders}).
     */
    public static final String BACKPROP_FLOOR = "backprop-floor";

    public SpeedOptions {
        networks = List.copyOf(networks);
        methods = List.copyOf(methods);
        configs = Map.copyOf(configs);
        Objects.requireNonNull(outputDir, "outputDir");
        if (networks.isEmpty()) {
            throw new IllegalArgumentException("speed needs at least one network, e.g. vgg-mini");
        }
        if (warmups < 0) {
            throw new IllegalArgumentException("warmups must be >= 0, got " + warmups);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be >= 0 (0: the protocol's), got " + batch);
        }
    }

    /**
     * The protocol: both networks, at least 5 warm-ups and then until the JIT compiler has settled, 15 timed
     * iterations, every method, LoRA-conv at r = 4, alpha = 4 (as in the fashion-transfer protocol), tCURLoRA at r = 8 in group mode with fallback AUTO (the
     * convolutions without an equal-shape partner get taps mode, or matrix CUR when r does not fit their taps).
     */
    public static SpeedOptions protocol(Path outputDir) {
        return new SpeedOptions(List.of(BenchNetwork.VGG_MINI, BenchNetwork.VGG16_64), 5, true, 15, outputDir, 0,
                List.of(), Map.of("lora-conv", LoraConfig.of(4, 4),
                "tcurlora", TcurloraMethod.BENCHMARK_CONFIG), 0, null, false);
    }

    /**
     * Refuses a method name that is neither a baseline nor in {@code registry}, and a name given twice, listing
     * the known names; called before anything is built or measured.
     */
    public void requireKnownMethods(AdapterRegistry registry) {
        List<String> known = new ArrayList<>(List.of(FULL, HEAD_ONLY, BACKPROP_FLOOR));
        known.addAll(registry.names());
        Set<String> seen = new HashSet<>();
        for (String method : methods) {
            if (!known.contains(method)) {
                throw new IllegalArgumentException("unknown method '" + method + "' in --methods; known: "
                        + String.join(", ", known));
            }
            if (!seen.add(method)) {
                throw new IllegalArgumentException("method '" + method + "' is listed twice in --methods");
            }
        }
    }

    /**
     * True when warm-ups and iterations meet the protocol's minimum (5 and 15), the warm-up waits for the JIT and the
     * networks have DL4J's default layout.
     */
    public boolean meetsProtocol() {
        return warmups >= 5 && untilJitSettles && iterations >= 15 && !channelsLast;
    }

    /** Whether {@code method} is to be measured. */
    public boolean includes(String method) {
        return methods.isEmpty() || methods.contains(method);
    }

    /** The warm-up of each phase (training steps, inference) of one network. */
    WarmUp warmUp() {
        return new WarmUp(warmups, untilJitSettles, WarmUp.PROTOCOL_MAX_SECONDS);
    }

    /** The batch size for {@code network}. */
    public int batchFor(BenchNetwork network) {
        return batch > 0 ? batch : network.batch();
    }
}
