package org.peft4j.bench.speed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The two orders in which {@link RoundRobin} runs its tasks, the samples it returns for each task, and how long its
 * warm-up goes on while the JIT compiler is busy.
 */
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

    @Test
    void theWarmUpGoesOnUntilTheCompilerWasQuietForAWholeWindowThenTimesWhatItCompilesMeanwhile() {
        AtomicInteger rounds = new AtomicInteger();
        List<Runnable> tasks = List.of(rounds::incrementAndGet);
        // a compiler that works 50 ms in each of the first 15 rounds, then stops, then compiles 7 ms once more
        LongSupplier clock = () -> 50L * Math.min(rounds.get(), 15) + (rounds.get() > 30 ? 7 : 0);

        RoundRobin.Rounds result = RoundRobin.time(tasks, new WarmUp(5, true, 60), 10, clock);

        assertThat(result.warmUpRounds()).isEqualTo(15 + WarmUp.WINDOW);
        assertThat(result.jit()).isEqualTo(SpeedReport.Jit.SETTLED);
        assertThat(rounds.get()).isEqualTo(15 + WarmUp.WINDOW + 10);
        assertThat(result.jitMillisTimed()).isEqualTo(7);
        assertThat(result.samples()).hasDimensions(1, 10);
    }

    @Test
    void aCompilerThatNeverSettlesEndsTheWarmUpAtItsTimeLimitAndSaysSo() {
        AtomicInteger rounds = new AtomicInteger();
        List<Runnable> tasks = List.of(() -> sleepMillis(rounds));
        LongSupplier busy = () -> 1000L * rounds.get();

        RoundRobin.Rounds result = RoundRobin.time(tasks, new WarmUp(2, true, 0.05), 3, busy);

        assertThat(result.jit()).isEqualTo(SpeedReport.Jit.NOT_SETTLED);
        assertThat(result.warmUpRounds()).isBetween(2, 50);
        assertThat(result.jitMillisTimed()).isEqualTo(3000);
    }

    @Test
    void aFixedWarmUpOrAJvmWithoutCompilationTimeRunsExactlyTheRoundsAsked() {
        AtomicInteger rounds = new AtomicInteger();
        List<Runnable> tasks = List.of(rounds::incrementAndGet);

        RoundRobin.Rounds fixed = RoundRobin.time(tasks, WarmUp.rounds(4), 2, () -> 1000L * rounds.get());
        assertThat(fixed.warmUpRounds()).isEqualTo(4);
        assertThat(fixed.jit()).isEqualTo(SpeedReport.Jit.NOT_WATCHED);

        RoundRobin.Rounds unwatched = RoundRobin.time(tasks, new WarmUp(3, true, 60), 2, null);
        assertThat(unwatched.warmUpRounds()).isEqualTo(3);
        assertThat(unwatched.jit()).isEqualTo(SpeedReport.Jit.NOT_WATCHED);
        assertThat(unwatched.jitMillisTimed()).isEqualTo(-1);
        assertThatThrownBy(() -> WarmUp.rounds(-1)).hasMessageContaining("-1");
    }

    @Test
    void theJvmTheProjectRunsOnReportsItsCompilationTimeSoTheProtocolCanWatchIt() {
        LongSupplier clock = WarmUp.jitClock();
        assertThat(clock).as("HotSpot's CompilationMXBean with time monitoring").isNotNull();
        long before = clock.getAsLong();
        assertThat(before).isGreaterThan(0);
        assertThat(clock.getAsLong()).isGreaterThanOrEqualTo(before);
    }

    private static void sleepMillis(AtomicInteger rounds) {
        rounds.incrementAndGet();
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
