package org.peft4j.bench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.bench.metrics.ClassificationMetrics;

class ResultsFolderTest {

    @TempDir
    Path temp;

    @Test
    void runsRoundTripThroughJsonIncludingNaN() throws IOException {
        ClassificationMetrics metrics = ClassificationMetrics.of(new int[] {0, 0, 1},
                Nd4j.create(new double[][] {{0.9, 0.1, 0}, {0.4, 0.6, 0}, {0.2, 0.8, 0}}), List.of("a", "b", "c"));
        Provenance provenance = new Provenance("p", Map.of("k", "v"), "abc", "1", "2", "cpu", "x", "17", "linux", "now",
                Placement.spark("local[2]", "driver"));
        RunResult run = new RunResult("lora", "lora", 3, RunResult.DONE, "", "{}", List.of("fc1"), 10, 20, 15, 2,
                List.of(new EpochRecord(1, 0.5, null, null, null, 0.4, 0.66, Double.NaN, 1.5)), 1, "last epoch", metrics,
                1, metrics, 1.5, new RunMemory(1000, 3000, 200, 80), "d", provenance, null);
        ResultsFolder folder = ResultsFolder.at(temp.resolve("r"));
        folder.writeRun(run);
        RunResult back = folder.readRun("lora", 3).orElseThrow();
        assertThat(back).isEqualTo(run);
        assertThat(back.selected().recall()[2]).isNaN();
        assertThat(folder.readRun("lora", 4)).isEmpty();
    }

    @Test
    void corruptRunFileIsNamed() throws IOException {
        ResultsFolder folder = ResultsFolder.at(temp.resolve("r"));
        Files.writeString(folder.runFile("full", 1), "{ truncated");
        assertThatThrownBy(() -> folder.readRun("full", 1)).hasMessageContaining("full-seed1.json")
                .hasMessageContaining("delete it to run it again");
    }

    @Test
    void newFoldersNeverCollide() throws IOException {
        Path a = ResultsFolder.create(temp, "x").root();
        Path b = ResultsFolder.create(temp, "x").root();
        assertThat(a).isNotEqualTo(b);
    }
}
