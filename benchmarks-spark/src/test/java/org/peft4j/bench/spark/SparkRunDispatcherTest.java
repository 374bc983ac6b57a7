package org.peft4j.bench.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.AdapterRegistry;
import org.peft4j.bench.model.Contender;
import org.peft4j.bench.model.ContenderFactory;
import org.peft4j.bench.run.Comparison;
import org.peft4j.bench.run.Experiment;
import org.peft4j.bench.run.PendingRun;
import org.peft4j.bench.run.Placement;
import org.peft4j.bench.run.ResultsFolder;
import org.peft4j.bench.run.RunExecutor;
import org.peft4j.bench.run.RunProgress;
import org.peft4j.bench.run.RunResult;

/**
 * The Spark dispatcher on {@code local[2]} against the local loop, on a fashion-transfer comparison cut to seconds
 * ({@link TinyComparison}): the same runs, resume (and its refusal of other settings), run files written whole as each
 * run arrives, failures named.
 */
class SparkRunDispatcherTest {

    @TempDir
    static Path shared;
    @TempDir
    Path temp;
    static JavaSparkContext sc;
    static Experiment experiment;

    @BeforeAll
    static void startSparkAndPrepare() throws IOException {
        sc = TestSpark.start("SparkRunDispatcherTest");
        experiment = TinyComparison.prepare(shared.resolve("cache"));
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    private static RunExecutor executor() {
        return new RunExecutor(new ContenderFactory(AdapterRegistry.fromClasspath()));
    }

    private static List<RunResult> onSpark(ResultsFolder folder, RecordingDispatcher.AfterEach afterEach,
            List<String> sent) throws IOException {
        RecordingDispatcher recording = new RecordingDispatcher(new SparkRunDispatcher(sc), afterEach);
        List<RunResult> runs = new Comparison(executor(), recording).run(experiment, folder, RunProgress.SILENT);
        sent.addAll(recording.sent);
        return runs;
    }

    @Test
    void sparkRunsEqualLocalRunsForTheSameSeedsAndSayWhereTheyTrained() throws IOException {
        List<RunResult> local = new Comparison(executor()).run(experiment, ResultsFolder.at(temp.resolve("local")),
                RunProgress.SILENT);
        List<String> sent = new ArrayList<>();
        List<RunResult> spark = onSpark(ResultsFolder.at(temp.resolve("spark")), run -> { }, sent);

        assertThat(sent).hasSize(4);
        assertThat(spark).hasSize(4).allMatch(RunResult::done);
        for (int i = 0; i < local.size(); i++) {
            assertThat(TinyComparison.outcome(spark.get(i))).as(spark.get(i).method() + " seed " + spark.get(i).seed())
                    .isEqualTo(TinyComparison.outcome(local.get(i)));
            assertThat(spark.get(i).provenance().settings()).isEqualTo(local.get(i).provenance().settings());
        }
        // not vacuous: the seeds and methods give different runs
        assertThat(TinyComparison.outcome(spark.get(0))).isNotEqualTo(TinyComparison.outcome(spark.get(1)));
        assertThat(spark).allSatisfy(run -> {
            Placement placement = run.provenance().placement();
            assertThat(placement.engine()).isEqualTo(Placement.SPARK);
            assertThat(placement.master()).isEqualTo(TestSpark.MASTER);
            assertThat(placement.executor()).isEqualTo("driver");
            assertThat(placement.host()).isNotBlank().isEqualTo(local.get(0).provenance().placement().host());
            assertThat(run.provenance().backend()).contains("omp threads");
        });
        assertThat(local).allMatch(run -> run.provenance().placement().engine().equals(Placement.LOCAL));
    }

    @Test
    void resumeOnSparkOfALocalFolderSendsOnlyTheMissingRunsAndLeavesTheOthersUntouched() throws IOException {
        ResultsFolder folder = ResultsFolder.at(temp.resolve("resume"));
        List<RunResult> before = new Comparison(executor()).run(experiment, folder, RunProgress.SILENT);
        Path missing = folder.runFile("colora", 2);
        Files.delete(missing);
        Map<Path, byte[]> others = new HashMap<>();
        for (Path file : folder.runFiles()) {
            others.put(file, Files.readAllBytes(file));
        }

        List<String> second = new ArrayList<>();
        List<RunResult> after = onSpark(folder, run -> { }, second);

        assertThat(second).containsExactly("colora seed 2");
        assertThat(folder.readRun("colora", 2).orElseThrow().provenance().placement().engine())
                .isEqualTo(Placement.SPARK);
        for (Map.Entry<Path, byte[]> other : others.entrySet()) {
            assertThat(Files.readAllBytes(other.getKey())).as(other.getKey().toString()).isEqualTo(other.getValue());
        }
        for (int i = 0; i < before.size(); i++) {
            assertThat(TinyComparison.outcome(after.get(i))).isEqualTo(TinyComparison.outcome(before.get(i)));
        }
        List<String> third = new ArrayList<>();
        assertThat(onSpark(folder, run -> { }, third)).hasSize(4);
        assertThat(third).isEmpty();
    }

    @Test
    void aFolderOfOtherSettingsIsRefusedBeforeAnyRunIsSent() throws IOException {
        ResultsFolder folder = ResultsFolder.at(temp.resolve("other"));
        onSpark(folder, run -> { }, new ArrayList<>());
        Experiment twoEpochs = TinyComparison.prepare(shared.resolve("cache"), 2);
        RecordingDispatcher recording = new RecordingDispatcher(new SparkRunDispatcher(sc), run -> { });

        assertThatThrownBy(() -> new Comparison(executor(), recording).run(twoEpochs, folder, RunProgress.SILENT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epochs: stored '1', requested '2'");
        assertThat(recording.sent).isEmpty();
    }

    @Test
    void eachRunFileIsWholeAndWrittenWhenItsRunArrives() throws IOException, InterruptedException {
        ResultsFolder folder = ResultsFolder.at(temp.resolve("atomic"));
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger parsed = new AtomicInteger();
        List<String> unreadable = new ArrayList<>();
        Thread watcher = new Thread(() -> {
            while (!done.get()) {
                try (Stream<Path> files = Files.list(folder.root().resolve("runs"))) {
                    for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                        folder.readRun(file);
                        parsed.incrementAndGet();
                    }
                } catch (IOException e) {
                    synchronized (unreadable) {
                        unreadable.add(e.getMessage());
                    }
                }
            }
        });
        watcher.start();
        List<String> writtenAtHandOver = new ArrayList<>();
        try {
            onSpark(folder, run -> {
                assertThat(folder.readRun(run.method(), run.seed())).contains(run);
                writtenAtHandOver.add(run.method() + " seed " + run.seed());
            }, new ArrayList<>());
        } finally {
            done.set(true);
            watcher.join();
        }
        assertThat(writtenAtHandOver).hasSize(4);
        assertThat(unreadable).isEmpty();
        assertThat(parsed.get()).isPositive();
        try (Stream<Path> left = Files.list(folder.root().resolve("runs"))) {
            assertThat(left.map(p -> p.getFileName().toString())).hasSize(4).allMatch(n -> n.endsWith(".json"));
        }
    }

    @Test
    void aFailedRunIsNamedWithItsSeedAndTheOthersAreStillHandedOver() {
        // a network without vgg-mini's block3_pool: head-only transfer fails on the executor, full fine-tuning trains
        MultiLayerNetwork other = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new DenseLayer.Builder().name("fc1").nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("predictions").nOut(5)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1)).build());
        other.init();
        List<PendingRun> pending = List.of(new PendingRun(Contender.baseline("head-only"), 5, "d5"),
                new PendingRun(Contender.baseline("full"), 6, "d6"));
        List<RunResult> handedOver = new ArrayList<>();

        assertThatThrownBy(() -> new SparkRunDispatcher(sc).dispatch(experiment, other, pending, handedOver::add,
                RunProgress.SILENT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 of 2 runs failed on Spark local[2]")
                .hasMessageContaining("head-only seed 5: ")
                .hasMessageContaining("block3_pool")
                .hasMessageNotContaining("full seed 6")
                .hasMessageContaining("redoes only the missing runs");
        assertThat(handedOver).singleElement().satisfies(run -> {
            assertThat(run.method()).isEqualTo("full");
            assertThat(run.seed()).isEqualTo(6);
            assertThat(run.done()).isTrue();
        });
    }
}
