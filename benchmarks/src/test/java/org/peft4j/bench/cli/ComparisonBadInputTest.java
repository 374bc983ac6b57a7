package org.peft4j.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peft4j.bench.data.MedMnistFiles;

/**
 * {@code compare} with bad options on a tiny octmnist-layout file and the small vgg-mini backbone: a results
 * folder of other settings and bad method options are refused before anything is written or trained; a
 * diverging method is recorded and the other runs go on.
 */
class ComparisonBadInputTest {

    @TempDir
    Path temp;
    Path data;
    Path out;

    @BeforeEach
    void writeData() throws IOException {
        data = MedMnistFiles.write(temp.resolve("octmnist.npz"), 28, 4, 2, false);
        out = temp.resolve("run");
    }

    @Test
    void rerunWithAnotherLearningRateAndMethodListIsRefusedBeforeWritingAnything() throws IOException {
        CommandOutput first = compare("--methods", "head-only", "--lr", "0.001");
        assertThat(first.status()).as(first.err()).isZero();
        byte[] experiment = Files.readAllBytes(out.resolve("experiment.json"));
        byte[] headOnly = Files.readAllBytes(out.resolve("runs/head-only-seed1.json"));

        CommandOutput second = compare("--methods", "full,head-only", "--lr", "0.01");
        assertThat(second.status()).isEqualTo(1);
        assertThat(second.err()).contains(out.toAbsolutePath().toString(), "optimiser: stored '", "lr=0.001",
                "requested '", "lr=0.01", "runs/head-only-seed1.json", "experiment.json", "--out", "--results-dir")
                .doesNotContain("Exception");
        assertThat(runFiles()).containsExactly("head-only-seed1.json");
        assertThat(Files.readAllBytes(out.resolve("experiment.json"))).isEqualTo(experiment);
        assertThat(Files.readAllBytes(out.resolve("runs/head-only-seed1.json"))).isEqualTo(headOnly);
    }

    @Test
    void storedRunOfAMethodNoLongerRequestedStillCountsAsTheFolderSettings() throws IOException {
        assertThat(compare("--methods", "head-only", "--lr", "0.001").status()).isZero();
        Files.delete(out.resolve("experiment.json"));
        CommandOutput other = compare("--methods", "full", "--lr", "0.01");
        assertThat(other.status()).isEqualTo(1);
        assertThat(other.err()).contains("runs/head-only-seed1.json", "lr=0.001", "lr=0.01");
        assertThat(runFiles()).containsExactly("head-only-seed1.json");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "--method-config  | lora-conv=rnk=4         | --method-config lora-conv                 | 'rnk'",
        "--method-config  | lora-conv=rank=four     | --method-config lora-conv                 | four",
        "--method-targets | lora-conv=no_such_layer | --method-targets lora-conv=no_such_layer | match no layer of vgg-mini",
        "--method-targets | lora-conv=conv[         | --method-targets lora-conv=conv[         | not a valid regular expression"})
    void badMethodOptionFailsBeforeTheFirstRun(String option, String value, String named, String problem)
            throws IOException {
        CommandOutput bad = compare("--methods", "head-only,lora-conv", option, value);
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).contains(named, problem).doesNotContain("head-only seed 1", "Exception");
        assertThat(runFiles()).isEmpty();
        assertThat(out.resolve("experiment.json")).doesNotExist();
    }

    @Test
    void divergingRunIsRecordedAndTheOthersGoOn() throws IOException {
        CommandOutput run = compare("--methods", "full,head-only", "--lr", "1e8", "--epochs", "2");
        assertThat(run.status()).as(run.err()).isZero();
        String full = Files.readString(out.resolve("runs/full-seed1.json"));
        assertThat(full).contains("\"status\" : \"diverged\"", "\"divergence\" : {", "\"epoch\" : 1");
        assertThat(runFiles()).containsExactly("full-seed1.json", "head-only-seed1.json");
        assertThat(Files.readString(out.resolve("summary.md"))).contains("- full seed 1: diverged, ", "in epoch 1");
        assertThat(run.err()).contains("full seed 1 diverged").doesNotContain("Exception");

        CommandOutput again = compare("--methods", "full,head-only", "--lr", "1e8", "--epochs", "2");
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.err()).contains("reusing full seed 1");
    }

    private CommandOutput compare(String... extra) {
        List<String> args = new ArrayList<>(List.of("compare", "--protocol", "octmnist-paper", "--backbone", "vgg-mini",
                "--data", data.toString(), "--subset", "balanced:2", "--batch", "4", "--seeds", "1",
                "--val-limit", "4", "--test-limit", "4", "--out", out.toString(), "--no-progress"));
        args.addAll(List.of(extra));
        if (!args.contains("--epochs")) {
            args.addAll(List.of("--epochs", "1"));
        }
        return CommandOutput.run(args.toArray(String[]::new));
    }

    private List<String> runFiles() throws IOException {
        if (!Files.isDirectory(out.resolve("runs"))) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(out.resolve("runs"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
