package org.peft4j.bench.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.bench.cli.CommandOutput;
import org.peft4j.bench.run.Placement;
import org.peft4j.bench.run.ResultsFolder;
import org.peft4j.bench.run.RunResult;
import org.peft4j.bench.run.SparkRunsProvider;

/**
 * {@code compare --spark local[2]} through the command line and the {@link ServiceLoader}, as a user runs it; and the
 * settings the provider refuses before starting Spark.
 */
class SparkCommandLineTest {

    @TempDir
    Path temp;

    @Test
    void compareWithSparkWritesTheRunsHereAndResumesWithoutSendingAnything() throws IOException {
        Path out = temp.resolve("run");
        String[] args = {"compare", "--protocol", "fashion-transfer", "--source-limit", "64", "--pretrain-epochs", "1",
            "--train-per-class", "4", "--epochs", "1", "--test-limit", "20", "--methods", "head-only,full", "--seeds", "3",
            "--results-dir", temp.resolve("results").toString(), "--out", out.toString(), "--no-progress",
            "--spark", "local[2]"};

        CommandOutput first = CommandOutput.run(args);

        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.err()).contains("Spark local[2]: 2 runs as 2 tasks", "head-only seed 3: test acc",
                "(spark local[2], executor driver on ");
        assertThat(first.out()).contains("| head-only | 1 | 148,229 | 434,661 |", "| full | 1 | 434,661 | 434,661 |");
        ResultsFolder folder = ResultsFolder.at(out);
        for (String method : new String[] {"head-only", "full"}) {
            RunResult run = folder.readRun(method, 3).orElseThrow();
            assertThat(run.done()).isTrue();
            assertThat(run.provenance().placement().engine()).isEqualTo(Placement.SPARK);
            assertThat(run.provenance().placement().master()).isEqualTo("local[2]");
        }

        CommandOutput again = CommandOutput.run(args);

        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.err()).contains("reusing head-only seed 3", "reusing full seed 3").doesNotContain("runs as");
    }

    @Test
    void theServiceLoaderFindsTheSparkProvider() {
        assertThat(ServiceLoader.load(SparkRunsProvider.class).stream().map(p -> p.type().getName()))
                .containsExactly(SparkComparisonProvider.class.getName());
    }

    @Test
    void aBlankMasterAnotherSubmittedMasterOrKryoIsRefusedBeforeSparkStarts() {
        SparkComparisonProvider provider = new SparkComparisonProvider();
        assertThatThrownBy(() -> provider.open(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--spark needs a master URL");
        withProperty("spark.master", "spark://elsewhere:7077", () -> assertThatThrownBy(() -> provider.open("local[2]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--spark local[2] but Spark is configured with master spark://elsewhere:7077"));
        withProperty("spark.serializer", "org.apache.spark.serializer.KryoSerializer", () -> assertThatThrownBy(
                () -> provider.open("local[2]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spark.serializer is org.apache.spark.serializer.KryoSerializer")
                .hasMessageContaining("Java serialization"));
    }

    private static void withProperty(String key, String value, Runnable body) {
        String old = System.getProperty(key);
        System.setProperty(key, value);
        try {
            body.run();
        } finally {
            if (old == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, old);
            }
        }
    }
}
