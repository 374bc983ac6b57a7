/**
 * {@code compare --spark MASTER}: the pending runs of a comparison as Spark tasks
 * ({@link org.peft4j.bench.spark.SparkComparisonProvider}, found by {@link java.util.ServiceLoader} from
 * {@code benchmarks}' {@link org.peft4j.bench.run.SparkRuns}). The experiment and the pretrained network are broadcast
 * once in serializable forms ({@code Shipped*}); each task trains one run with {@code RunExecutor} on its executor
 * and sends back the run file's JSON, which the driver writes into the results folder as it arrives.
 */
package org.peft4j.bench.spark;
