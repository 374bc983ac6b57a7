package org.peft4j.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.Peft;

/**
 * The user's workflow on a tiny image folder and model file: {@code finetune} then {@code inspect},
 * {@code merge}, {@code evaluate} and {@code predict}, through the command line, plus its refusals.
 */
class FinetuneEndToEndTest {

    @TempDir
    Path temp;

    @Test
    void finetuneMergeEvaluateAndInspect() throws IOException {
        Path images = TinyUserFiles.imageFolder(temp.resolve("images"), 6);
        Path model = TinyUserFiles.modelFile(temp.resolve("base.zip"), 5);
        Path tuned = temp.resolve("tuned");
        CommandOutput finetune = CommandOutput.run("finetune", "--model", model.toString(), "--data", images.toString(),
                "--method", "lora", "--method-config", "lora=rank=2,alpha=2", "--targets", "fc1", "--epochs", "2",
                "--validation-split", "0.34", "--batch", "4", "--out", tuned.toString(), "--no-progress");
        assertThat(finetune.status()).as(finetune.err()).isZero();
        assertThat(finetune.err()).contains("channels 1 (the model's first layer)", "size 8x8 (the model's input type)");
        for (String name : List.of("adapter.safetensors", "merged.zip", "epochs.csv", "summary.md")) {
            assertThat(tuned.resolve(name)).isNotEmptyFile();
        }
        assertThat(Files.readAllLines(tuned.resolve("epochs.csv"))).hasSize(3);

        CommandOutput inspect = CommandOutput.run("inspect", tuned.resolve("adapter.safetensors").toString());
        assertThat(inspect.out()).contains("method:          lora", "\"rank\":2", "output layer:    out, 3 classes");

        Path merged = temp.resolve("merged.zip");
        CommandOutput merge = CommandOutput.run("merge", "--model", model.toString(), "--adapter",
                tuned.resolve("adapter.safetensors").toString(), "--out", merged.toString());
        assertThat(merge.status()).as(merge.err()).isZero();
        MultiLayerNetwork plain = ModelSerializer.restoreMultiLayerNetwork(merged.toFile(), false);
        MultiLayerNetwork adapted = (MultiLayerNetwork) Peft.load(ModelSerializer.restoreMultiLayerNetwork(
                model.toFile(), false), tuned.resolve("adapter.safetensors")).network();
        INDArray input = Nd4j.rand(5, 1, 8, 8);
        assertThat(plain.output(input).equalsWithEps(adapted.output(input), 1e-5)).isTrue();

        Path evaluation = temp.resolve("eval");
        CommandOutput evaluate = CommandOutput.run("evaluate", "--model", model.toString(), "--adapter",
                tuned.resolve("adapter.safetensors").toString(), "--data", images.toString(), "--out", evaluation.toString());
        assertThat(evaluate.status()).as(evaluate.err()).isZero();
        assertThat(evaluate.out()).contains("18 examples: accuracy", "macro AUC");
        JsonNode metrics = new ObjectMapper().readTree(evaluation.resolve("metrics.json").toFile());
        assertThat(metrics.get("accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(metrics.has("macro_auc")).isTrue();
        List<String> rows = Files.readAllLines(evaluation.resolve("predictions.csv"));
        assertThat(rows).hasSize(19);
        assertThat(rows.get(0)).isEqualTo("example,predicted,label,p_circle,p_line,p_square");
        assertThat(rows.get(1)).startsWith("circle/img0.png,");

        CommandOutput predict = CommandOutput.run("predict", "--model", merged.toString(), "--data", images.toString(),
                "--out", temp.resolve("pred").toString());
        assertThat(predict.status()).as(predict.err()).isZero();
        assertThat(Files.readAllLines(temp.resolve("pred/predictions.csv")).subList(1, 19))
                .isEqualTo(rows.subList(1, 19));

        CommandOutput again = CommandOutput.run("finetune", "--model", model.toString(), "--data", images.toString(),
                "--method", "lora", "--epochs", "1", "--out", tuned.toString());
        assertThat(again.status()).isNotZero();
        assertThat(again.err()).contains("--out", "not empty", "--overwrite");
    }

    @Test
    void finetuneWithSeveralMethodsWritesAnAdapterOfEach() throws IOException {
        Path images = TinyUserFiles.imageFolder(temp.resolve("images"), 4);
        Path model = TinyUserFiles.modelFile(temp.resolve("base.zip"), 3);
        Path tuned = temp.resolve("tuned");
        CommandOutput finetune = CommandOutput.run("finetune", "--model", model.toString(), "--data", images.toString(),
                "--method", "colora", "--method", "lora", "--method-targets", "colora=conv1", "--method-targets",
                "lora=fc1", "--method-config", "lora=rank=2,alpha=2", "--epochs", "1", "--validation-split", "0.34",
                "--batch", "4", "--out", tuned.toString(), "--no-progress");
        assertThat(finetune.status()).as(finetune.err()).isZero();
        assertThat(finetune.out()).contains("colora+lora on conv1, fc1");
        CommandOutput inspect = CommandOutput.run("inspect", tuned.resolve("adapter.safetensors").toString());
        assertThat(inspect.out()).contains("format version:  3", "method:          colora+lora",
                "colora adapter on ConvolutionLayer", "lora adapter on DenseLayer", "\"rank\":2");
        MultiLayerNetwork plain = ModelSerializer.restoreMultiLayerNetwork(tuned.resolve("merged.zip").toFile(), false);
        MultiLayerNetwork adapted = (MultiLayerNetwork) Peft.load(ModelSerializer.restoreMultiLayerNetwork(
                model.toFile(), false), tuned.resolve("adapter.safetensors")).network();
        INDArray input = Nd4j.rand(5, 1, 8, 8);
        assertThat(plain.output(input).equalsWithEps(adapted.output(input), 1e-5)).isTrue();

        String out = temp.resolve("out").toString();
        CommandOutput sharedTargets = CommandOutput.run("finetune", "--model", model.toString(), "--data",
                images.toString(), "--method", "colora", "--method", "lora", "--targets", "conv1", "--out", out);
        assertThat(sharedTargets.status()).isNotZero();
        assertThat(sharedTargets.err()).contains("--targets applies to one --method", "--method-targets");
        CommandOutput missing = CommandOutput.run("finetune", "--model", model.toString(), "--data",
                images.toString(), "--method", "colora", "--method", "lora", "--method-targets", "colora=conv1",
                "--out", out);
        assertThat(missing.err()).contains("--method-targets METHOD=REGEX for lora");
        CommandOutput overlapping = CommandOutput.run("finetune", "--model", model.toString(), "--data",
                images.toString(), "--method", "colora", "--method", "lora-conv", "--method-targets", "colora=conv1",
                "--method-targets", "lora-conv=conv1", "--method-config", "lora-conv=rank=2", "--out", out);
        assertThat(overlapping.status()).isNotZero();
        assertThat(overlapping.err()).contains("layer 'conv1' is matched by two rules");
    }

    @Test
    void finetuneOnABackboneNameBuildsItForTheDataAndWritesItsBase() throws IOException {
        Path images = TinyUserFiles.imageFolder(temp.resolve("images"), 4);
        Path tuned = temp.resolve("tuned");
        CommandOutput finetune = CommandOutput.run("finetune", "--model", "vgg-mini", "--data", images.toString(),
                "--method", "colora", "--targets", "block3_conv\\d", "--epochs", "1", "--validation-split", "0.34",
                "--batch", "4", "--out", tuned.toString(), "--no-progress");
        assertThat(finetune.status()).as(finetune.err()).isZero();
        MultiLayerNetwork base = ModelSerializer.restoreMultiLayerNetwork(tuned.resolve("base.zip").toFile(), false);
        assertThat(base.getLayer("predictions").getParam("W").size(1)).as("3 classes in the folder").isEqualTo(3);
        MultiLayerNetwork plain = ModelSerializer.restoreMultiLayerNetwork(tuned.resolve("merged.zip").toFile(), false);
        MultiLayerNetwork adapted = (MultiLayerNetwork) Peft.load(base, tuned.resolve("adapter.safetensors")).network();
        INDArray input = Nd4j.rand(2, 1, 28, 28);
        assertThat(plain.output(input).equalsWithEps(adapted.output(input), 1e-5)).isTrue();

        Path oneClass = temp.resolve("one-class");
        Files.createDirectories(oneClass);
        try (var files = Files.list(images)) {
            Path first = files.sorted().findFirst().orElseThrow();
            Files.move(first, oneClass.resolve(first.getFileName()));
        }
        CommandOutput single = CommandOutput.run("finetune", "--model", "vgg-mini", "--data", oneClass.toString(),
                "--method", "colora", "--out", temp.resolve("single").toString());
        assertThat(single.status()).isNotZero();
        assertThat(single.err()).contains("--data", "one-class", "1 class", "at least 2").doesNotContain("Exception");
    }

    @Test
    void badInputIsRefusedNamingTheOptionOrFile() throws IOException {
        Path images = TinyUserFiles.imageFolder(temp.resolve("images"), 2);
        Path model = TinyUserFiles.modelFile(temp.resolve("base.zip"), 3);
        String out = temp.resolve("out").toString();
        CommandOutput missing = CommandOutput.run("finetune", "--model", temp.resolve("absent.zip").toString(),
                "--data", images.toString(), "--method", "lora", "--out", out);
        assertThat(missing.status()).isNotZero();
        assertThat(missing.err()).contains("--model", "absent.zip");
        CommandOutput unknown = CommandOutput.run("finetune", "--model", model.toString(), "--data", images.toString(),
                "--method", "lorax", "--out", out);
        assertThat(unknown.status()).isNotZero();
        assertThat(unknown.err()).contains("unknown method 'lorax'");
        CommandOutput badConfig = CommandOutput.run("finetune", "--model", model.toString(), "--data",
                images.toString(), "--method", "lora", "--method-config", "lora=rnk=4", "--out", out);
        assertThat(badConfig.status()).isNotZero();
        assertThat(badConfig.err()).contains("'rnk'");
        CommandOutput malformed = CommandOutput.run("finetune", "--model", model.toString(), "--data",
                images.toString(), "--method", "lora", "--method-config", "lora=rank", "--out", out);
        assertThat(malformed.err()).contains("--method-config", "not KEY=VALUE");
        CommandOutput noData = CommandOutput.run("evaluate", "--model", model.toString(), "--data",
                temp.resolve("nothing.npz").toString(), "--out", out);
        assertThat(noData.status()).isNotZero();
        assertThat(noData.err()).contains("--data", "nothing.npz", "does not exist");
        assertThat(temp.resolve("out")).doesNotExist();
    }
}
