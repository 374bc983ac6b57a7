package org.peft4j.bench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.deeplearning4j.nn.api.Model;
import org.peft4j.bench.model.Contender;

/**
 * Runs every method of an {@link Experiment} with every seed, side by side on the same pretrained
 * network and data. Before anything is written or trained, the results folder is checked against the
 * experiment ({@link ResumeCheck}) and every method that still has runs to do is checked against the
 * pretrained network ({@link RunExecutor#check}). Runs already present in the folder are reused, so an
 * interrupted comparison resumes where it stopped; the others go to a {@link RunDispatcher} (this process,
 * or Spark tasks) and each is written atomically as soon as it comes back.
 */
public final class Comparison {

    private final RunExecutor executor;
    private final RunDispatcher dispatcher;

    /** Trains the runs in this process. */
    public Comparison(RunExecutor executor) {
        this(executor, new LocalRuns(executor));
    }

    /**
     * @param executor   checks the methods before any run (and trains them when {@code dispatcher} is local)
     * @param dispatcher where the pending runs train
     */
    public Comparison(RunExecutor executor, RunDispatcher dispatcher) {
        this.executor = executor;
        this.dispatcher = dispatcher;
    }

    /**
     * @return every run, method by method in line-up order, seeds in the given order
     * @throws IllegalArgumentException when the folder holds results made with other settings, or a method's
     *                                  targets or settings do not fit the network (nothing is then written)
     * @throws IllegalStateException    when runs failed (the dispatcher names them; the runs that finished are written)
     */
    public List<RunResult> run(Experiment experiment, ResultsFolder folder, RunProgress progress) throws IOException {
        ResumeCheck.verify(experiment, folder);
        Map<String, RunResult> runs = new HashMap<>();
        List<RunResult> reused = new ArrayList<>();
        List<PendingRun> pending = new ArrayList<>();
        for (Contender contender : experiment.contenders()) {
            for (long seed : experiment.seeds()) {
                Optional<RunResult> stored = folder.readRun(contender.name(), seed);
                if (stored.isPresent()) {
                    runs.put(key(contender.name(), seed), stored.get());
                    reused.add(stored.get());
                } else {
                    pending.add(new PendingRun(contender, seed, digest(experiment.settings(), contender.describe(), seed)));
                }
            }
        }
        Model pretrained = pending.isEmpty() ? null : experiment.pretrained().get();
        for (Contender contender : pending.stream().map(PendingRun::contender).distinct().toList()) {
            executor.check(experiment, pretrained, contender);
        }
        folder.writeExperiment(ExperimentRecord.of(experiment));
        for (RunResult stored : reused) {
            progress.note("reusing " + stored.method() + " seed " + stored.seed() + " from "
                    + folder.runFile(stored.method(), stored.seed()));
        }
        Set<String> expected = new HashSet<>(pending.stream().map(r -> key(r.contender().name(), r.seed())).toList());
        if (!pending.isEmpty()) {
            dispatcher.dispatch(experiment, pretrained, pending, result -> {
                if (!expected.remove(key(result.method(), result.seed()))) {
                    throw new IllegalStateException("a run of " + result.method() + " seed " + result.seed()
                            + " came back that was not asked for (or twice); it was not written");
                }
                folder.writeRun(result);
                if (result.diverged()) {
                    progress.note(result.method() + " seed " + result.seed() + " diverged: " + result.skipReason()
                            + "; recorded in " + folder.runFile(result.method(), result.seed())
                            + ", continuing with the other runs");
                }
                runs.put(key(result.method(), result.seed()), result);
            }, progress);
        }
        if (!expected.isEmpty()) {
            throw new IllegalStateException("runs never came back: " + expected.stream().sorted().toList());
        }
        List<RunResult> results = new ArrayList<>();
        for (Contender contender : experiment.contenders()) {
            for (long seed : experiment.seeds()) {
                results.add(runs.get(key(contender.name(), seed)));
            }
        }
        return results;
    }

    private static String key(String method, long seed) {
        return method + " seed " + seed;
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
