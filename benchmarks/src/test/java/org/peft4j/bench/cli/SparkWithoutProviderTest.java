package org.peft4j.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --spark} in the plain command line (this module has no Spark and no provider): refused at once, naming the
 * jar and the command that have Spark, with nothing prepared or written.
 */
class SparkWithoutProviderTest {

    @TempDir
    Path temp;

    @Test
    void compareWithSparkNamesTheSparkJarAndWritesNothing() {
        Path results = temp.resolve("results");
        CommandOutput compare = CommandOutput.run("compare", "--protocol", "fashion-transfer", "--spark", "local[2]",
                "--results-dir", results.toString(), "--no-progress");
        assertThat(compare.status()).isEqualTo(1);
        assertThat(compare.err()).contains("--spark local[2]", "benchmarks-spark/target/peft4j-spark-cli.jar",
                "mvn -q -B -DskipTests package -pl benchmarks-spark -am", "./peft4j", "docs/spark.md")
                .doesNotContain("Exception", "Fashion-MNIST:");
        assertThat(Files.exists(results)).isFalse();
    }

    @Test
    void demoWithSparkIsRefusedTheSameWay() {
        CommandOutput demo = CommandOutput.run("demo", "--spark", "local[2]", "--results-dir",
                temp.resolve("results").toString(), "--no-progress");
        assertThat(demo.status()).isEqualTo(1);
        assertThat(demo.err()).contains("peft4j-spark-cli.jar");
    }
}
