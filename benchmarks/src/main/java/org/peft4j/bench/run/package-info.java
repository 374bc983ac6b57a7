/**
 * Running comparisons: one run per method and seed ({@link org.peft4j.bench.run.RunExecutor}),
 * resumable comparisons ({@link org.peft4j.bench.run.Comparison}), results with provenance written
 * atomically to one folder per invocation ({@link org.peft4j.bench.run.ResultsFolder}). Where the pending runs
 * train is a {@link org.peft4j.bench.run.RunDispatcher}: this process ({@link org.peft4j.bench.run.LocalRuns}) or
 * Spark tasks ({@link org.peft4j.bench.run.SparkRunsProvider}, module {@code benchmarks-spark}).
 */
package org.peft4j.bench.run;
