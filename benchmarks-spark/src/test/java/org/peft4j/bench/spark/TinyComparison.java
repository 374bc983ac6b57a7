package org.peft4j.bench.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.peft4j.AdapterRegistry;
import org.peft4j.bench.protocol.FashionTransfer;
import org.peft4j.bench.protocol.ProtocolOptions;
import org.peft4j.bench.run.Experiment;
import org.peft4j.bench.run.ResultsFolder;
import org.peft4j.bench.run.RunProgress;
import org.peft4j.bench.run.RunResult;

/**
 * fashion-transfer cut to seconds: vgg-mini pretrained for 1 epoch on 64 source images, then head-only and colora
 * (merging every epoch) with seeds 1 and 2, 1 epoch on 8 images per class in minibatches of 16 with augmentation,
 * 30 test images.
 */
final class TinyComparison {

    static final List<String> METHODS = List.of("head-only", "colora");
    static final List<Long> SEEDS = List.of(1L, 2L);
    private static final ObjectMapper JSON = new ObjectMapper();

    private TinyComparison() {
    }

    /** The experiment; pretrained networks are cached in {@code cache}. */
    static Experiment prepare(Path cache) throws IOException {
        return prepare(cache, 1);
    }

    /** The experiment with {@code epochs} training epochs per run. */
    static Experiment prepare(Path cache, int epochs) throws IOException {
        ProtocolOptions options = new ProtocolOptions(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), METHODS, Map.of(), Map.of(), Map.of(), Optional.of(epochs), Optional.of(16),
                Optional.empty(), Optional.empty(), Optional.empty(), SEEDS, Optional.empty(), Optional.empty(),
                Optional.of(true), Optional.of(8), Optional.empty(), Optional.of(30), Optional.of(64), Optional.of(1), cache);
        return new FashionTransfer().prepare(options, AdapterRegistry.fromClasspath(), RunProgress.SILENT);
    }

    /** What must not depend on where a run trained: the run file without timings, memory and provenance. */
    static JsonNode outcome(RunResult run) throws IOException {
        ObjectNode tree = (ObjectNode) JSON.readTree(ResultsFolder.toJson(run));
        tree.remove(List.of("secondsPerEpoch", "memory", "provenance"));
        tree.withArray("epochs").forEach(epoch -> ((ObjectNode) epoch).remove("seconds"));
        return tree;
    }
}
