package org.peft4j.bench.speed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two orders in which {@link RoundRobin} runs its tasks, and the samples it returns for each task. */
class RoundRobinTest {

    @Test
    void turnsRotateTheStartAndEachAloneRunsOneTaskAtATime() {
        List<String> runs = new ArrayList<>();
        List<Runnable> tasks = List.of(() -> runs.add("a"), () -> runs.add("b"), () -> runs.add("c"));

        double[][] turns = RoundRobin.time(tasks, 1, 2);
        assertThat(runs).containsExactly("a", "b", "c", "a", "b", "c", "b", "c", "a");
        assertThat(turns).hasDimensions(3, 2);

        runs.clear();
        double[][] alone = RoundRobin.eachAlone(tasks, 1, 2);
        assertThat(runs).containsExactly("a", "a", "a", "b", "b", "b", "c", "c", "c");
        assertThat(alone).hasDimensions(3, 2);
        for (double[] samples : alone) {
            assertThat(Arrays.stream(samples).min().orElseThrow()).isGreaterThanOrEqualTo(0);
        }
    }
}
