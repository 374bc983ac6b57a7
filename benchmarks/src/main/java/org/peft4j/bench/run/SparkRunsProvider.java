package org.peft4j.bench.run;

/**
 * Runs a comparison's pending runs as Spark tasks ({@code compare --spark MASTER}). The implementation lives in the
 * module {@code benchmarks-spark} (its jar {@code peft4j-spark-cli.jar}) and is found with
 * {@link java.util.ServiceLoader}, so this module and its jar need no Spark; {@link SparkRuns#open} finds it.
 */
public interface SparkRunsProvider {

    /**
     * Connects to {@code master}, a Spark master URL ({@code local[2]}, {@code spark://host:7077}, {@code yarn}); under
     * {@code spark-submit} it must be the master given there.
     *
     * @throws IllegalArgumentException when the master is blank, differs from the configured one, or Spark cannot
     *                                  start on it, naming it
     */
    RunDispatcher open(String master);
}
