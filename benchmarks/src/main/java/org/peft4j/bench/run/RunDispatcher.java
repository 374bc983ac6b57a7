package org.peft4j.bench.run;

import java.io.IOException;
import java.util.List;
import org.deeplearning4j.nn.api.Model;

/**
 * Where the pending runs of a comparison train: one after the other in this process ({@link LocalRuns}), or as
 * tasks of a Spark cluster (a {@link SparkRunsProvider} found on the class path). {@link Comparison} decides what
 * is pending, checks the methods and writes each run it gets back; a dispatcher only trains.
 */
public interface RunDispatcher extends AutoCloseable {

    /**
     * Trains every run of {@code pending} and hands each result to {@code finished} as soon as it is known, on the
     * calling thread, so a run is stored before the next one arrives. Returns when every run was handed over.
     *
     * @param pretrained the pretrained network every run starts from (read only)
     * @throws IOException           when {@code finished} cannot store a run
     * @throws IllegalStateException when runs failed, naming each method and seed (the others were handed over)
     */
    void dispatch(Experiment experiment, Model pretrained, List<PendingRun> pending, FinishedRuns finished,
            RunProgress progress) throws IOException;

    /** Releases what the dispatcher holds (a Spark context); nothing for local runs. */
    @Override
    default void close() {
    }
}
