package org.peft4j.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peft4j.bench.data.IdxWriter;
import org.peft4j.bench.run.ResultsFolder;
import org.peft4j.bench.run.RunMemory;
import org.peft4j.bench.speed.BenchNetwork;
import org.peft4j.bench.speed.SpeedOptions;

class CommandLineTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"demo", "compare", "params", "speed"})
    void everyCommandHasHelp(String command) {
        CommandOutput help = CommandOutput.run(command, "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("Usage: peft4j " + command, "--help").doesNotContain("%n");
        assertThat(help.err()).as("picocli could not format a description").doesNotContain("picocli WARN");
    }

    @Test
    void topLevelHelpListsTheCommands() {
        CommandOutput help = CommandOutput.run("--help");
        assertThat(help.out()).contains("demo", "compare", "params", "speed");
    }

    @Test
    void demoRunsTheMainJobOnATinySubsetAndPrintsTheTable() throws IOException {
        Path data = IdxWriter.fashionFolder(temp.resolve("fashion"), 200, 60, true);
        String[] args = {"demo", "--data", data.toString(), "--source-limit", "40", "--train-per-class", "4",
            "--pretrain-epochs", "1", "--epochs", "1", "--test-limit", "20", "--results-dir", temp.resolve("results").toString(),
            "--no-progress"};
        CommandOutput demo = CommandOutput.run(args);
        assertThat(demo.status()).as(demo.err()).isZero();
        assertThat(demo.out()).contains("| method | runs | trainable params", "| head-only | 1 | 148,229 | 434,661 |",
                "| full | 1 | 434,661 | 434,661 |", "peft4j compare --protocol fashion-transfer");
        assertThat(demo.err()).contains("pretrained source network saved to");
        assertReadableComparisonWithPerRunMemory(temp.resolve("results"));
        try (var cached = Files.list(temp.resolve("results/cache"))) {
            assertThat(cached.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("vgg-mini-") && n.endsWith(".zip"))).hasSize(1);
        }
        CommandOutput again = CommandOutput.run(args);
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.err()).contains("reusing the pretrained source network");
    }

    /**
     * The demo's results folder: both figures with every method, no record or Optional dumps in the summary, CSV or
     * experiment file, and memory measured per run (full fine-tuning keeps more optimiser state than the lora-conv run
     * after it, so nothing is inherited from the earlier run).
     */
    private static void assertReadableComparisonWithPerRunMemory(Path results) throws IOException {
        Path folder;
        try (var runs = Files.list(results)) {
            folder = runs.filter(p -> p.getFileName().toString().startsWith("fashion-transfer")).findFirst().orElseThrow();
        }
        for (String text : List.of("summary.md", "epochs.csv", "experiment.json")) {
            assertThat(Files.readString(folder.resolve(text))).as(text).doesNotContain("Config[", "Optional[", "Optional.empty")
                    .doesNotContainPattern("[A-Z]\\w*\\[\\w+=");
        }
        String summary = Files.readString(folder.resolve("summary.md"));
        assertThat(summary).contains("- augmentation: none", "| workspaces + updater MiB | RSS growth MiB |",
                "![plots/accuracy-per-epoch.png](plots/accuracy-per-epoch.png)",
                "![plots/accuracy-vs-params.png](plots/accuracy-vs-params.png)", "Memory, measured per run");
        for (String figure : List.of("accuracy-per-epoch.png", "accuracy-vs-params.png")) {
            assertThat(Files.size(folder.resolve("plots").resolve(figure))).isGreaterThan(5000);
        }
        ResultsFolder runs = ResultsFolder.at(folder);
        RunMemory head = runs.readRun("head-only", 1).orElseThrow().memory();
        RunMemory full = runs.readRun("full", 1).orElseThrow().memory();
        RunMemory lora = runs.readRun("lora-conv", 1).orElseThrow().memory();
        assertThat(full.updaterStateBytes()).isGreaterThan(lora.updaterStateBytes()).isGreaterThan(head.updaterStateBytes());
        assertThat(lora.updaterStateBytes()).isNotEqualTo(head.updaterStateBytes());
        assertThat(List.of(head, full, lora)).allMatch(m -> m.workspaceBytes() > 0 && m.rssPeakBytes() >= m.rssStartBytes());
    }

    @Test
    void paramsReportsTheTrainableCount() {
        CommandOutput params = CommandOutput.run("params", "--backbone", "vgg-mini", "--method", "lora", "--targets", "fc1",
                "--method-config", "rank=4,alpha=4");
        assertThat(params.status()).as(params.err()).isZero();
        // lora on fc1: A [1152, 4] + B [4, 128] = 5,120; new head 128 * 5 + 5 = 645
        assertThat(params.out()).contains("trainable params: 5,765", "after merge: 434,661", "\"rank\":4");
    }

    @Test
    void unknownBackboneAndProtocolAreReportedClearly() {
        CommandOutput backbone = CommandOutput.run("params", "--backbone", "resnet18", "--method", "full");
        assertThat(backbone.status()).isEqualTo(1);
        assertThat(backbone.err()).contains("unknown backbone 'resnet18'; available in this build: vgg16, resnet50, vgg-mini");
        CommandOutput protocol = CommandOutput.run("compare", "--protocol", "mnist");
        assertThat(protocol.err()).contains("unknown protocol 'mnist'; available: octmnist-paper, fashion-transfer");
    }

    @Test
    void methodThatCannotAdaptTheTargetsIsSkippedWithItsReason() {
        CommandOutput params = CommandOutput.run("params", "--method", "lora");
        assertThat(params.status()).isEqualTo(3);
        assertThat(params.err()).contains("'lora' cannot adapt the selected layers block1_conv1");
    }

    @Test
    void speedFlagsOverrideTheProtocolAndBadOnesFailNamingThem() {
        SpeedCommand command = new picocli.CommandLine(new SpeedCommand()).parseArgs("--networks", "vgg16-64,cnn3d-28",
                "--iterations", "20", "--methods", "full,colora", "--out", "x").asCommandLineList().get(0).getCommand();
        SpeedOptions options = command.options();
        assertThat(options.networks()).containsExactly(BenchNetwork.VGG16_64, BenchNetwork.CNN3D_28);
        assertThat(options.iterations()).isEqualTo(20);
        assertThat(options.warmups()).isEqualTo(5);
        assertThat(options.untilJitSettles()).isTrue();
        assertThat(options.methods()).containsExactly("full", "colora");
        assertThat(options.meetsProtocol()).isTrue();
        SpeedCommand fixed = new picocli.CommandLine(new SpeedCommand()).parseArgs("--no-until-jit-settles", "--warmup", "9")
                .asCommandLineList().get(0).getCommand();
        assertThat(fixed.options().untilJitSettles()).isFalse();
        assertThat(fixed.options().warmups()).isEqualTo(9);
        assertThat(fixed.options().meetsProtocol()).isFalse();
        assertThat(options.configs()).containsKey("lora-conv");
        SpeedCommand defaults = new picocli.CommandLine(new SpeedCommand()).parseArgs().asCommandLineList().get(0).getCommand();
        assertThat(defaults.options().networks()).containsExactly(BenchNetwork.VGG_MINI, BenchNetwork.VGG16_64);
        assertThat(defaults.options().channelsLast()).isFalse();
        SpeedCommand last = new picocli.CommandLine(new SpeedCommand()).parseArgs("--channels-last")
                .asCommandLineList().get(0).getCommand();
        assertThat(last.options().channelsLast()).isTrue();
        assertThat(last.options().meetsProtocol()).isFalse();

        CommandOutput unknown = CommandOutput.run("speed", "--networks", "resnet", "--out", temp.toString());
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown network 'resnet'", "vgg-mini");
        CommandOutput zero = CommandOutput.run("speed", "--iterations", "0", "--out", temp.toString());
        assertThat(zero.err()).contains("iterations must be >= 1");
        CommandOutput many = CommandOutput.run("speed", "--iterations", "many");
        assertThat(many.status()).isEqualTo(2);
        assertThat(many.err()).contains("many");
    }
}
