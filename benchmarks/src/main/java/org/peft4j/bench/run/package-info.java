/**
 * Running comparisons: one run per method and seed ({@link org.peft4j.bench.run.RunExecutor}),
 * resumable comparisons ({@link org.peft4j.bench.run.Comparison}), results with provenance written
 * atomically to one folder per invocation ({@link org.peft4j.bench.run.ResultsFolder}).
 */
package org.peft4j.bench.run;
