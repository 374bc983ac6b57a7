package org.peft4j.bench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.deeplearning4j.nn.api.Model;
import org.peft4j.bench.model.Contender;

/**
 * Runs every method of an {@link Experiment} with every seed, side by side on the same pretrained
 * network and data. Before anything is written or trained, the results folder is checked against the
 * experiment ({@link ResumeCheck}) and every method that still has runs to do is checked against the
 * pretrained network ({@link RunExecutor#check}). Each finished run is written at once; runs already
 * present in the folder are reused, so an interrupted comparison resumes where it stopped.
 */
public final class Comparison {

    private final RunExecutor executor;

    public Comparison(RunExecutor executor) {
        this.executor = executor;
    }

    /**
     * @return every run, method by method in line-up order, seeds in the given order
     * @throws IllegalArgumentException when the folder holds results made with other settings, or a method's
     *                                  targets or settings do not fit the network (nothing is then written)
     */
    public List<RunResult> run(Experiment experiment, ResultsFolder folder, RunProgress progress) throws IOException {
        ResumeCheck.verify(experiment, folder);
        List<Contender> pending = new ArrayList<>();
        for (Contender contender : experiment.contenders()) {
            for (long seed : experiment.seeds()) {
                if (folder.readRun(contender.name(), seed).isEmpty() && !pending.contains(contender)) {
                    pending.add(contender);
                }
            }
        }
        Model pretrained = pending.isEmpty() ? null : experiment.pretrained().get();
        for (Contender contender : pending) {
            executor.check(experiment, pretrained, contender);
        }
        folder.writeExperiment(ExperimentRecord.of(experiment));
        List<RunResult> results = new ArrayList<>();
        for (Contender contender : experiment.contenders()) {
            for (long seed : experiment.seeds()) {
                String digest = digest(experiment.settings(), contender.describe(), seed);
                Optional<RunResult> stored = folder.readRun(contender.name(), seed);
                if (stored.isPresent()) {
                    progress.note("reusing " + contender.name() + " seed " + seed + " from "
                            + folder.runFile(contender.name(), seed));
                    results.add(stored.get());
                    continue;
                }
                RunResult result = executor.run(experiment, pretrained, contender, seed, digest, progress);
                folder.writeRun(result);
                if (result.diverged()) {
                    progress.note(contender.name() + " seed " + seed + " diverged: " + result.skipReason()
                            + "; recorded in " + folder.runFile(contender.name(), seed) + ", continuing with the other runs");
                }
                results.add(result);
            }
        }
        return results;
    }

    /** SHA-256 of the settings, the method and the seed. */
    static String digest(Map<String, String> settings, String method, long seed) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(new TreeMap<>(settings).toString().getBytes(StandardCharsets.UTF_8));
            sha.update(("|" + method + "|" + seed).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
