package org.peft4j.bench.speed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The PyTorch reference's timings of the speed protocol, as {@code benchmarks/pytorch/speed_reference.py} writes
 * them ({@code tool = pytorch}): per network, the median training step of each method and the inference times.
 *
 * @param file      where it was read from
 * @param torch     PyTorch's version
 * @param cpu       the CPU it ran on
 * @param time      when it ran (UTC)
 * @param allocator its C allocator setting ({@code GLIBC_TUNABLES}, or {@code glibc defaults}; {@code ?} in files
 *                  that predate the field)
 * @param openmpWaitPolicy its OpenMP wait policy ({@code OMP_WAIT_POLICY}, or {@code OpenMP default}; {@code ?} in
 *                  files that predate the field)
 * @param trainMs   per network, per method ({@code full}, {@code head-only}, {@code colora}, {@code colora-fused},
 *                  {@code lora-conv}), the median step in ms
 * @param inferMs   per network, {@code base} and {@code colora-adapted} inference in ms
 * @param channelsLast whether it ran in PyTorch's {@code channels_last} memory format ({@code --channels-last}; false
 *                  in files that predate the flag)
 */
public record PytorchReference(String file, String torch, String cpu, String time, String allocator,
        String openmpWaitPolicy, Map<String, Map<String, Double>> trainMs, Map<String, Map<String, Double>> inferMs,
        boolean channelsLast) {

    /**
     * Reads a reference file.
     *
     * @throws IOException naming the file when it cannot be read or is not a PyTorch speed reference
     */
    public static PytorchReference read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("PyTorch reference " + file + " does not exist; make it with "
                    + "/usr/bin/python3 benchmarks/pytorch/speed_reference.py --out " + file);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("PyTorch reference " + file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!"pytorch".equals(root.path("tool").asText()) || !root.path("networks").isObject()) {
            throw new IOException("PyTorch reference " + file + " was not written by speed_reference.py (no tool "
                    + "'pytorch' and networks)");
        }
        Map<String, Map<String, Double>> train = new LinkedHashMap<>();
        Map<String, Map<String, Double>> infer = new LinkedHashMap<>();
        root.path("networks").fields().forEachRemaining(net -> {
            train.put(net.getKey(), medians(net.getValue().path("train")));
            infer.put(net.getKey(), medians(net.getValue().path("inference")));
        });
        return new PytorchReference(file.toString(), root.path("torch").asText("?"), root.path("cpu").asText("?"),
                root.path("time").asText("?"), root.path("allocator").asText("?"),
                root.path("openmp_wait_policy").asText("?"), train, infer,
                root.path("settings").path("channels_last").asBoolean(false));
    }

    private static Map<String, Double> medians(JsonNode node) {
        Map<String, Double> medians = new LinkedHashMap<>();
        node.fields().forEachRemaining(m -> medians.put(m.getKey(), m.getValue().path("median_ms").asDouble(Double.NaN)));
        return medians;
    }

    /** PyTorch's median step of {@code method} on {@code network}. */
    public Optional<Double> train(String network, String method) {
        return Optional.ofNullable(trainMs.getOrDefault(network, Map.of()).get(method));
    }

    /** PyTorch's median inference ({@code base} or {@code colora-adapted}) on {@code network}. */
    public Optional<Double> infer(String network, String what) {
        return Optional.ofNullable(inferMs.getOrDefault(network, Map.of()).get(what));
    }
}
