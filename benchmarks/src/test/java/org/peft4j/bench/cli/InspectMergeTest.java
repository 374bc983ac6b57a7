package org.peft4j.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;

/** {@code inspect} and {@code merge} on an adapter saved from the Java API, and their errors. */
class InspectMergeTest {

    @TempDir
    Path temp;
    Path model;
    Path adapter;

    @BeforeEach
    void writeFiles() throws IOException {
        model = TinyUserFiles.modelFile(temp.resolve("base.zip"), 3);
        MultiLayerNetwork base = ModelSerializer.restoreMultiLayerNetwork(model.toFile(), false);
        PeftModel<Model> peft = Peft.apply(base, PeftConfig.builder().method("lora")
                .targets(LayerSelector.names("fc1")).newOutput(2).build());
        var labels = Nd4j.zeros(6, 2);
        labels.putScalar(0, 1, 1).putScalar(1, 1, 1).putScalar(2, 0, 1).putScalar(3, 0, 1).putScalar(4, 1, 1).putScalar(5, 0, 1);
        for (int i = 0; i < 5; i++) {
            ((MultiLayerNetwork) peft.network()).fit(new DataSet(Nd4j.rand(6, 1, 8, 8), labels));
        }
        adapter = temp.resolve("adapter.safetensors");
        peft.saveAdapter(adapter);
    }

    @Test
    void inspectPrintsTheHeaderWithoutTheBase() {
        CommandOutput result = CommandOutput.run("inspect", adapter.toString());
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).contains("method:          lora", "targets:         fc1",
                "output layer:    out, 2 classes", "format version:  2", "base fingerprints: yes", "total");
    }

    @Test
    void inspectAndMergeHandleAnAdapterOfSeveralMethods() throws IOException {
        MultiLayerNetwork base = ModelSerializer.restoreMultiLayerNetwork(model.toFile(), false);
        PeftModel<Model> peft = Peft.apply(base, PeftConfig.builder()
                .rule(LayerSelector.names("conv1"), "colora").rule(LayerSelector.names("fc1"), "lora").build());
        Path mixed = temp.resolve("mixed.safetensors");
        peft.saveAdapter(mixed);

        CommandOutput result = CommandOutput.run("inspect", mixed.toString());
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).contains("format version:  3", "method:          colora+lora", "layer methods:",
                "colora adapter on ConvolutionLayer", "lora adapter on DenseLayer").doesNotContain("config:  ");
        assertThat(result.out()).containsPattern("conv1 +colora \\{\"pointwiseGain\":1.0\\}")
                .containsPattern("fc1 +lora \\{\"rank\":8");

        Path merged = temp.resolve("mixed-merged.zip");
        CommandOutput merge = CommandOutput.run("merge", "--model", model.toString(), "--adapter", mixed.toString(),
                "--out", merged.toString());
        assertThat(merge.status()).as(merge.err()).isZero();
        assertThat(merge.out()).contains("colora+lora");
    }

    @Test
    void mergeWritesAPlainModelComputingWhatTheAdaptedOneDoes() throws IOException {
        Path merged = temp.resolve("merged.zip");
        CommandOutput result = CommandOutput.run("merge", "--model", model.toString(), "--adapter",
                adapter.toString(), "--out", merged.toString());
        assertThat(result.status()).as(result.err()).isZero();
        MultiLayerNetwork plain = ModelSerializer.restoreMultiLayerNetwork(merged.toFile(), false);
        MultiLayerNetwork adapted = (MultiLayerNetwork) Peft.load(
                ModelSerializer.restoreMultiLayerNetwork(model.toFile(), false), adapter).network();
        var input = Nd4j.rand(4, 1, 8, 8);
        assertThat(plain.output(input).equalsWithEps(adapted.output(input), 1e-5)).isTrue();
        assertThat(Files.list(temp).map(Path::getFileName).map(Path::toString)).noneMatch(n -> n.contains(".tmp"));
    }

    @Test
    void missingFilesAreNamed() {
        CommandOutput noAdapter = CommandOutput.run("merge", "--model", model.toString(), "--adapter",
                temp.resolve("nope.safetensors").toString(), "--out", temp.resolve("m.zip").toString());
        assertThat(noAdapter.status()).isNotZero();
        assertThat(noAdapter.err()).contains("--adapter", "nope.safetensors", "does not exist");
        CommandOutput noModel = CommandOutput.run("merge", "--model", temp.resolve("none.zip").toString(),
                "--adapter", adapter.toString(), "--out", temp.resolve("m.zip").toString());
        assertThat(noModel.err()).contains("--model", "none.zip");
        CommandOutput notAdapter = CommandOutput.run("inspect", model.toString());
        assertThat(notAdapter.status()).isNotZero();
        assertThat(notAdapter.err()).contains("base.zip");
    }
}
