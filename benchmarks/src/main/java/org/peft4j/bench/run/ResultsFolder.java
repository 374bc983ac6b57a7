package org.peft4j.bench.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.peft4j.io.AtomicFiles;

/**
 * The folder of one comparison: {@code runs/<method>-seed<k>.json} (one per finished run, written
 * atomically), {@code epochs.csv}, {@code summary.md}, {@code plots/*.png}. Reopening the folder of
 * an interrupted comparison lets it skip the runs already written.
 */
public final class ResultsFolder {

    // AtomicFiles forces the stream to disk after the body, so Jackson must not close it
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** The file describing the comparison: protocol, settings, methods, seeds. */
    public static final String EXPERIMENT = "experiment.json";

    private final Path root;

    private ResultsFolder(Path root) {
        this.root = root;
    }

    /** A new folder {@code <base>/<protocol>-<date>-<time>} (a suffix is added if it exists). */
    public static ResultsFolder create(Path base, String protocol) throws IOException {
        String name = protocol + "-" + LocalDateTime.now().format(STAMP);
        Path folder = base.resolve(name);
        for (int i = 2; Files.exists(folder); i++) {
            folder = base.resolve(name + "-" + i);
        }
        Files.createDirectories(folder.resolve("runs"));
        return new ResultsFolder(folder);
    }

    /** The folder {@code folder}, created if needed; runs already in it are reused. */
    public static ResultsFolder at(Path folder) throws IOException {
        Files.createDirectories(folder.resolve("runs"));
        return new ResultsFolder(folder);
    }

    public Path root() {
        return root;
    }

    /** Where the run of {@code method} with {@code seed} is stored. */
    public Path runFile(String method, long seed) {
        return root.resolve("runs").resolve(method + "-seed" + seed + ".json");
    }

    /** Atomically writes a run. */
    public void writeRun(RunResult result) throws IOException {
        AtomicFiles.write(runFile(result.method(), result.seed()), out -> JSON.writeValue(out, result));
    }

    /** A run as the JSON text of its run file (e.g. to send it from a Spark executor to the driver). */
    public static String toJson(RunResult run) throws IOException {
        return JSON.writeValueAsString(run);
    }

    /** The run in {@code json}, text from {@link #toJson}; fails naming {@code origin} when it is not a run. */
    public static RunResult runFromJson(String json, String origin) throws IOException {
        try {
            return JSON.readValue(json, RunResult.class);
        } catch (IOException e) {
            throw new IOException(origin + ": not a readable run result (" + e.getMessage() + ")", e);
        }
    }

    /** The stored run, if any. */
    public Optional<RunResult> readRun(String method, long seed) throws IOException {
        Path file = runFile(method, seed);
        return Files.exists(file) ? Optional.of(readRun(file)) : Optional.empty();
    }

    /** Every run file in the folder, sorted by name. */
    public List<Path> runFiles() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("runs"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /** Reads one run file; fails naming it when it is not a run result. */
    public RunResult readRun(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), RunResult.class);
        } catch (IOException e) {
            throw new IOException(file + ": not a readable run result (" + e.getMessage()
                    + "); delete it to run it again", e);
        }
    }

    /** The stored {@value #EXPERIMENT} of an earlier invocation, if any. */
    public Optional<ExperimentRecord> readExperiment() throws IOException {
        Path file = root.resolve(EXPERIMENT);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), ExperimentRecord.class));
        } catch (IOException e) {
            throw new IOException(file + ": not a readable experiment record (" + e.getMessage() + ")", e);
        }
    }

    /** Atomically writes {@value #EXPERIMENT}. */
    public Path writeExperiment(ExperimentRecord record) throws IOException {
        return writeJson(EXPERIMENT, record);
    }

    /** Atomically writes a text file inside the folder. */
    public Path writeText(String name, String text) throws IOException {
        Path file = root.resolve(name);
        AtomicFiles.writeString(file, text);
        return file;
    }

    /** Atomically writes a JSON file inside the folder. */
    public Path writeJson(String name, Object value) throws IOException {
        Path file = root.resolve(name);
        AtomicFiles.write(file, out -> JSON.writeValue(out, value));
        return file;
    }

    /** The plots folder, created. */
    public Path plots() throws IOException {
        return Files.createDirectories(root.resolve("plots"));
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
