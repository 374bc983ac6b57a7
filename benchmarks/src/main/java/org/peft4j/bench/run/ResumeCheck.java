package org.peft4j.bench.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.peft4j.bench.model.Contender;

/**
 * Checks a results folder against the comparison about to run in it, before anything is written or
 * trained: {@code experiment.json} and every stored run, whatever its method, must have been made with
 * the same protocol and settings, and a stored run of a requested method and seed with the same method
 * options. Otherwise the comparison is refused with every differing setting and both values, so one
 * folder never mixes runs of two configurations.
 */
public final class ResumeCheck {

    private ResumeCheck() {
    }

    /**
     * @throws IllegalArgumentException naming the folder, the differing settings with both values and the
     *                                  files holding them, and what to do instead
     * @throws IOException              when a stored file cannot be read (named)
     */
    public static void verify(Experiment experiment, ResultsFolder folder) throws IOException {
        Map<String, List<String>> conflicts = new LinkedHashMap<>();
        Optional<ExperimentRecord> stored = folder.readExperiment();
        if (stored.isPresent()) {
            differences(stored.get().protocol(), stored.get().settings(), experiment)
                    .forEach(d -> conflicts.computeIfAbsent(d, k -> new ArrayList<>()).add(ResultsFolder.EXPERIMENT));
        }
        for (Path file : folder.runFiles()) {
            String name = folder.root().relativize(file).toString();
            differences(folder.readRun(file), experiment)
                    .forEach(d -> conflicts.computeIfAbsent(d, k -> new ArrayList<>()).add(name));
        }
        if (!conflicts.isEmpty()) {
            StringBuilder message = new StringBuilder("the results folder " + folder.root().toAbsolutePath()
                    + " holds results made with other settings than this comparison; nothing was written or trained:");
            conflicts.forEach((difference, files) -> message.append("\n  - ").append(difference).append(" (")
                    .append(String.join(", ", files)).append(')'));
            message.append("\nGive another --out (or none: a new folder under --results-dir), or repeat the stored "
                    + "settings to resume this comparison.");
            throw new IllegalArgumentException(message.toString());
        }
    }

    private static List<String> differences(RunResult run, Experiment experiment) {
        List<String> found = new ArrayList<>();
        if (run.provenance() != null) {
            found.addAll(differences(run.provenance().protocol(), run.provenance().settings(), experiment));
        }
        Optional<Contender> requested = experiment.contenders().stream().filter(c -> c.name().equals(run.method()))
                .findFirst();
        if (requested.isPresent() && !requested.get().describe().equals(run.description())) {
            found.add(difference("method " + run.method(), run.description(), requested.get().describe()));
        }
        boolean rerun = requested.isPresent() && experiment.seeds().contains(run.seed());
        if (found.isEmpty() && rerun
                && !Comparison.digest(experiment.settings(), requested.get().describe(), run.seed()).equals(run.digest())) {
            found.add("the settings fingerprint differs (the run was made by another version of peft4j, or records no "
                    + "settings)");
        }
        return found;
    }

    private static List<String> differences(String protocol, Map<String, String> settings, Experiment experiment) {
        List<String> found = new ArrayList<>();
        if (!Objects.equals(protocol, experiment.protocol())) {
            found.add(difference("protocol", protocol, experiment.protocol()));
        }
        TreeSet<String> keys = new TreeSet<>(settings.keySet());
        keys.addAll(experiment.settings().keySet());
        for (String key : keys) {
            if (!Objects.equals(settings.get(key), experiment.settings().get(key))) {
                found.add(difference(key, settings.get(key), experiment.settings().get(key)));
            }
        }
        return found;
    }

    private static String difference(String setting, String stored, String requested) {
        return setting + ": stored " + quoted(stored) + ", requested " + quoted(requested);
    }

    private static String quoted(String value) {
        return value == null ? "(not set)" : "'" + value + "'";
    }
}
