package org.peft4j.bench.speed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.AdapterRegistry;
import org.peft4j.lora.LoraConfig;
import org.peft4j.natives.NativeMemory;
import org.peft4j.natives.ThreadWaiting;

/**
 * The speed benchmark runs end to end and writes its report (a shortened run on tiny batches;
 * no time is asserted: speed belongs in the benchmark, not in unit tests).
 */
class SpeedBenchmarkTest {

    @TempDir
    Path temp;

    @Test
    void aShortRunWritesJsonAndMarkdownWithEveryMethodTheGoalsAndThePytorchReference() throws IOException {
        Path pytorch = temp.resolve("pytorch-speed.json");
        Files.writeString(pytorch, """
                {"tool": "pytorch", "torch": "1.13", "cpu": "test CPU", "time": "now", "networks": {"vgg-mini": {
                  "train": {"full": {"median_ms": 80.0}, "colora": {"median_ms": 110.0},
                            "colora-fused": {"median_ms": 100.0}, "head-only": {"median_ms": 35.0}},
                  "inference": {"base": {"median_ms": 25.0}}}}}""");
        SpeedOptions options = new SpeedOptions(List.of(BenchNetwork.VGG_MINI), 1, false, 2, temp.resolve("out"), 3,
                List.of("full", "head-only", "colora", "lora-conv", "lora"), Map.of("lora-conv", LoraConfig.of(4, 4)), 4,
                pytorch, false);
        List<String> progress = new ArrayList<>();
        SpeedReport report = SpeedBenchmark.run(options, AdapterRegistry.fromClasspath(), progress::add);

        assertThat(progress).containsExactly(
                "vgg-mini, training steps of 4 methods: warming up, at least 1 round",
                "vgg-mini, training steps of 4 methods: warmed up in 1 round (JIT compiler not watched), timed 2 rounds",
                "vgg-mini, inference of 7 networks: warming up, at least 1 round",
                "vgg-mini, inference of 7 networks: warmed up in 1 round (JIT compiler not watched), timed 2 rounds");
        SpeedReport.NetworkResult result = report.networks().get(0);
        assertThat(result.methods()).extracting(SpeedReport.MethodResult::method)
                .containsExactly("full", "head-only", "colora", "lora-conv");
        assertThat(result.skipped()).extracting(SpeedReport.Skipped::method).containsExactly("lora");
        SpeedReport.MethodResult full = result.methods().get(0);
        assertThat(full.trainStepRatio()).isEqualTo(1.0);
        assertThat(full.trainableParams()).isEqualTo(full.totalParams());
        SpeedReport.MethodResult colora = result.methods().get(2);
        assertThat(colora.trainStep().samplesMs()).hasSize(2);
        assertThat(colora.paramsAfterMerge()).isEqualTo(full.totalParams());
        assertThat(colora.trainableParams()).isLessThan(full.trainableParams());
        assertThat(colora.mergedMaxRelativeError()).isLessThan(1e-5);
        assertThat(colora.memory().workspaceBytes()).isPositive();
        if (PageFaults.minor() == PageFaults.NOT_REPORTED) {
            assertThat(colora.memory().pageFaultsPerStep()).isEqualTo(PageFaults.NOT_REPORTED);
        } else {
            assertThat(colora.memory().pageFaultsPerStep()).isNotNegative();
        }
        assertThat(report.settings().meetsProtocol()).isFalse();
        assertThat(report.goals()).extracting(SpeedReport.Goal::what).contains("training step / full fine-tuning",
                "merged inference / base", "adapted inference / merged inference", "training step / PyTorch's");
        assertThat(colora.adaptedToMerged()).isPositive();
        assertThat(report.provenance().natives()).isIn("onednn-avx2", "avx2", "generic");
        assertThat(report.provenance().cpuModel()).isNotBlank();

        JsonNode json = new ObjectMapper().readTree(temp.resolve("out/speed.json").toFile());
        assertThat(json.at("/networks/0/network").asText()).isEqualTo("vgg-mini");
        assertThat(json.at("/networks/0/methods/2/trainStepRatio").isNumber()).isTrue();
        assertThat(json.at("/provenance/cpus").asInt()).isPositive();
        assertThat(json.at("/networks/0/trainingWarmUp/rounds").asInt()).isEqualTo(1);
        assertThat(json.at("/networks/0/trainingWarmUp/jit").asText()).isEqualTo("NOT_WATCHED");
        assertThat(json.at("/networks/0/inferenceWarmUp/rounds").asInt()).isEqualTo(1);
        assertThat(json.at("/settings/untilJitSettles").asBoolean()).isFalse();
        assertThat(json.at("/provenance/natives").asText()).isNotBlank();
        assertThat(Files.readString(temp.resolve("out/speed.md"))).contains("| colora |", "## Goals",
                "## peft4j and PyTorch on this machine", "| vgg-mini | colora | 110.0 |", "natives", "| page faults / step |",
                "Warm-up: training 1 rounds, the JIT compiler not watched");
        assertThat(report.provenance().allocator()).isEqualTo(NativeMemory.RECOMMENDED);
        assertThat(json.at("/provenance/allocator").asText()).isEqualTo(NativeMemory.RECOMMENDED);
        assertThat(json.at("/provenance/openmpWaitPolicy").asText()).isEqualTo(ThreadWaiting.RECOMMENDED);
        assertThat(json.at("/provenance/openblasThreadTimeout").asText()).isEqualTo(ThreadWaiting.BLAS_RECOMMENDED);
        assertThat(Files.readString(temp.resolve("out/speed.md")))
                .contains("native memory " + NativeMemory.RECOMMENDED, "Not comparable: PyTorch ran under another",
                        "OpenMP wait policy " + ThreadWaiting.RECOMMENDED + ", OpenBLAS thread timeout "
                                + ThreadWaiting.BLAS_RECOMMENDED + ";", "OpenMP wait policy ?, layout channels first "
                                + "(PyTorch's default); peft4j's figures from this run, layout channels first (DL4J's default)");
        Files.writeString(pytorch, Files.readString(pytorch).replace("\"tool\": \"pytorch\",",
                "\"tool\": \"pytorch\", \"settings\": {\"channels_last\": true},"));
        assertThat(PytorchReference.read(pytorch).channelsLast()).isTrue();
    }

    /**
     * The floor is LoRA-conv (r = 4) on the lowest target alone, block1_conv1 [32, 1, 3, 3]: the head's parameters
     * plus A [4, 1·3·3] and B [32, 4]; the step / full goals carry its ratio.
     */
    @Test
    void theBackpropFloorAdaptsTheLowestTargetAloneAndTheStepGoalsCarryItsRatio() throws IOException {
        SpeedOptions options = new SpeedOptions(List.of(BenchNetwork.VGG_MINI), 1, false, 2, temp.resolve("floor"), 3,
                List.of("full", "head-only", "backprop-floor", "colora"), Map.of("lora-conv", LoraConfig.of(4, 4)), 4,
                null, false);
        SpeedReport report = SpeedBenchmark.run(options);

        List<SpeedReport.MethodResult> methods = report.networks().get(0).methods();
        assertThat(methods).extracting(SpeedReport.MethodResult::method)
                .containsExactly("full", "head-only", "backprop-floor", "colora");
        SpeedReport.MethodResult headOnly = methods.get(1);
        SpeedReport.MethodResult floor = methods.get(2);
        assertThat(floor.trainableParams()).isEqualTo(headOnly.trainableParams() + 4 * 9 + 32 * 4);
        assertThat(floor.mergedMaxRelativeError()).isNull();
        assertThat(floor.trainStepRatio()).isPositive();
        SpeedReport.Goal coloraGoal = report.goals().stream()
                .filter(g -> g.method().equals("colora") && g.what().equals("training step / full fine-tuning"))
                .findFirst().orElseThrow();
        assertThat(coloraGoal.floor()).isEqualTo(floor.trainStepRatio());
        assertThat(report.goals()).filteredOn(g -> !g.what().equals("training step / full fine-tuning"))
                .extracting(SpeedReport.Goal::floor).containsOnlyNulls();
        assertThat(Files.readString(temp.resolve("floor/speed.md"))).contains("| backprop-floor |",
                "| met | floor |", String.format(java.util.Locale.ROOT, "| %.3f |%n", floor.trainStepRatio()));
    }

    @Test
    void aVolumetricNetworkComparesColora3dWithFullFineTuningAndSkipsThe2dMethods() throws IOException {
        SpeedOptions options = new SpeedOptions(List.of(BenchNetwork.CNN3D_16), 1, false, 2, temp.resolve("3d"), 3,
                List.of("full", "head-only", "backprop-floor", "colora3d", "colora"), Map.of(), 2, null, false);
        SpeedReport.NetworkResult result = SpeedBenchmark.run(options).networks().get(0);

        assertThat(result.network()).isEqualTo("cnn3d-16");
        assertThat(result.methods()).extracting(SpeedReport.MethodResult::method)
                .containsExactly("full", "head-only", "backprop-floor", "colora3d");
        // CoLoRA-3D on conv1 [16, 1, 3, 3, 3] alone: Kp [16, 1], Kd [16, 3, 3, 3], db [16]
        assertThat(result.methods().get(2).trainableParams())
                .isEqualTo(result.methods().get(1).trainableParams() + 16 + 16 * 27 + 16);
        assertThat(result.skipped()).extracting(SpeedReport.Skipped::method).containsExactly("colora");
        SpeedReport.MethodResult colora3d = result.methods().get(3);
        assertThat(colora3d.paramsAfterMerge()).isEqualTo(result.methods().get(0).totalParams());
        assertThat(colora3d.mergedMaxRelativeError()).isLessThan(1e-5);
        assertThat(colora3d.trainStepRatio()).isPositive();
    }

    /**
     * Channels-last networks (NHWC, NDHWC) train and infer with every method that takes them, the adapted networks
     * merge to the same outputs, and the run says it is not the protocol's layout.
     */
    @Test
    void channelsLastNetworksRunEveryMethodAndAreMarkedAsNotTheProtocol() throws IOException {
        SpeedOptions options = new SpeedOptions(List.of(BenchNetwork.VGG_MINI, BenchNetwork.CNN3D_16), 1, false, 2,
                temp.resolve("last"), 3, List.of(), SpeedOptions.protocol(temp).configs(), 2, null, true);
        SpeedReport report = SpeedBenchmark.run(options);

        assertThat(report.settings().channelsLast()).isTrue();
        assertThat(report.settings().meetsProtocol()).isFalse();
        assertThat(report.networks().get(0).methods()).extracting(SpeedReport.MethodResult::method)
                .contains("full", "head-only", "colora", "lora-conv", "clora", "tcurlora");
        assertThat(report.networks().get(1).methods()).extracting(SpeedReport.MethodResult::method)
                .contains("full", "colora3d", "clora", "tcurlora");
        for (SpeedReport.NetworkResult network : report.networks()) {
            for (SpeedReport.MethodResult method : network.methods()) {
                assertThat(method.trainStepRatio()).as(network.network() + " " + method.method()).isPositive();
                if (method.mergedMaxRelativeError() != null) {
                    assertThat(method.mergedMaxRelativeError()).as(network.network() + " " + method.method())
                            .isLessThan(1e-4);
                }
            }
        }
        JsonNode json = new ObjectMapper().readTree(temp.resolve("last/speed.json").toFile());
        assertThat(json.at("/settings/channelsLast").asBoolean()).isTrue();
        assertThat(Files.readString(temp.resolve("last/speed.md"))).contains("networks channels-last (NHWC, NDHWC)",
                "NOT the protocol");
    }

    @Test
    void anUnknownMethodIsRefusedListingTheKnownOnes() {
        SpeedOptions options = new SpeedOptions(List.of(BenchNetwork.VGG_MINI), 1, false, 1, temp.resolve("typo"), 3,
                List.of("full", "colroa"), Map.of(), 2, null, false);
        assertThatThrownBy(() -> SpeedBenchmark.run(options)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'colroa'").hasMessageContaining("colora").hasMessageContaining("head-only");
        assertThatThrownBy(() -> PytorchReference.read(temp.resolve("missing.json"))).hasMessageContaining("missing.json")
                .hasMessageContaining("speed_reference.py");
    }

    @Test
    void anUnknownNetworkIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> BenchNetwork.of("resnet")).hasMessageContaining("resnet")
                .hasMessageContaining("vgg-mini").hasMessageContaining("cnn3d-28");
    }
}
