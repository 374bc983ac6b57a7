package org.peft4j.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.AdapterRegistry;
import org.peft4j.bench.data.MedMnistFiles;

/**
 * {@code compare --protocol octmnist-paper} end to end on a tiny generated file in the MedMNIST layout,
 * with VGG16 at 32x32, every method of the class path, one epoch: every table, CSV, run file and plot.
 */
class OctmnistEndToEndTest {

    @TempDir
    static Path temp;
    static Path out;
    static CommandOutput first;

    @BeforeAll
    static void runComparison() throws IOException {
        Path data = MedMnistFiles.write(temp.resolve("octmnist.npz"), 28, 4, 3, true);
        out = temp.resolve("results/octmnist-run");
        first = CommandOutput.run("compare", "--protocol", "octmnist-paper", "--data", data.toString(),
                "--image-size", "32", "--subset", "balanced:2", "--epochs", "1", "--batch", "4", "--seeds", "1",
                "--val-limit", "8", "--test-limit", "8", "--out", out.toString(), "--no-progress");
    }

    @Test
    void writesEveryTable() throws IOException {
        assertThat(first.status()).as(first.err()).isZero();
        String summary = Files.readString(out.resolve("summary.md"));
        assertThat(summary).contains("## Methods side by side", "## Table 2", "## Table 3", "## Table 4",
                "## Confusion matrices", "| CNV |", "VGG16-CoLoRA, distilled set | 0.995 | 0.963",
                "vgg16 head-only | ", "vgg16 full | ", "Selected epoch: best validation accuracy",
                "- input: 3x32x32, pixels / 255", "- augmentation: ");
        // no record or Optional dumps anywhere in the summary
        assertThat(summary).doesNotContain("Config[", "Optional[").doesNotContainPattern("[A-Z]\\w*\\[\\w+=");
        // Table 3 compares head-only with every adapter method that could adapt VGG16's convolutions
        assertThat(summary).containsAnyOf("### head-only vs ", "No adapter method ran in this comparison");
        assertThat(first.out()).contains("| head-only | 1 |", "| full | 1 |");
        List<String> csv = Files.readAllLines(out.resolve("epochs.csv"));
        assertThat(csv.get(0)).startsWith("method,seed,epoch,train_loss,val_loss,val_accuracy");
        assertThat(csv).anyMatch(l -> l.startsWith("head-only,1,1,")).anyMatch(l -> l.startsWith("full,1,1,"));
    }

    @Test
    void writesOneRunFilePerMethodWithProvenance() throws IOException {
        for (String method : methods()) {
            Path run = out.resolve("runs/" + method + "-seed1.json");
            assertThat(run).exists();
            String json = Files.readString(run);
            assertThat(json).contains("\"protocol\" : \"octmnist-paper\"", "\"dl4j\" : \"1.0.0-M2.1\"", "\"cpu\"",
                    "\"gitCommit\"", "\"java\"", "\"backend\"", "OpenMP wait policy passive",
                    "OpenBLAS thread timeout 4",
                    "native memory glibc.malloc", "JavaCPP resident-size check off", "natives ");
        }
    }

    @Test
    void drawsEveryPlotOfEveryMethodThatRan() throws IOException {
        for (String figure : List.of("accuracy-per-epoch", "accuracy-vs-params")) {
            assertThat(Files.size(out.resolve("plots/" + figure + ".png"))).isGreaterThan(5000);
        }
        for (String method : List.of("head-only", "full")) {
            for (String kind : List.of("curves", "roc", "confusion")) {
                Path png = out.resolve("plots/" + kind + "-" + method + ".png");
                assertThat(png).exists();
                byte[] head = Files.readAllBytes(png);
                assertThat(head[1]).isEqualTo((byte) 'P');
                assertThat(head[2]).isEqualTo((byte) 'N');
                assertThat(head.length).isGreaterThan(5000);
            }
        }
    }

    @Test
    void rerunInTheSameFolderReusesFinishedRuns() throws IOException {
        Path run = out.resolve("runs/full-seed1.json");
        FileTime before = Files.getLastModifiedTime(run);
        CommandOutput again = CommandOutput.run("compare", "--protocol", "octmnist-paper", "--data",
                temp.resolve("octmnist.npz").toString(), "--image-size", "32", "--subset", "balanced:2", "--epochs", "1",
                "--batch", "4", "--seeds", "1", "--val-limit", "8", "--test-limit", "8", "--out", out.toString(),
                "--no-progress");
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.err()).contains("reusing full seed 1");
        assertThat(Files.getLastModifiedTime(run)).isEqualTo(before);
        CommandOutput changed = CommandOutput.run("compare", "--protocol", "octmnist-paper", "--data",
                temp.resolve("octmnist.npz").toString(), "--image-size", "32", "--subset", "balanced:2", "--epochs", "2",
                "--batch", "4", "--seeds", "1", "--val-limit", "8", "--test-limit", "8", "--out", out.toString(),
                "--no-progress");
        assertThat(changed.status()).isEqualTo(1);
        assertThat(changed.err()).contains("holds results made with other settings", "epochs: stored '1', requested '2'");
    }

    private static List<String> methods() throws IOException {
        List<String> names = new ArrayList<>(List.of("head-only", "full"));
        names.addAll(AdapterRegistry.fromClasspath().names());
        try (Stream<Path> files = Files.list(out.resolve("runs"))) {
            assertThat(files.count()).isEqualTo(names.size());
        }
        return names;
    }
}
