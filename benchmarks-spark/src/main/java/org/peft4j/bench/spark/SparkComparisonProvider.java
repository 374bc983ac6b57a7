package org.peft4j.bench.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.serializer.JavaSerializer;
import org.peft4j.bench.run.RunDispatcher;
import org.peft4j.bench.run.SparkRunsProvider;

/**
 * {@code --spark MASTER}: starts a Spark context on MASTER (with the {@code spark.*} system properties, which
 * {@code spark-submit} sets) and trains the runs as its tasks. Found by {@link java.util.ServiceLoader}.
 */
public final class SparkComparisonProvider implements SparkRunsProvider {

    private static final String JAVA_SERIALIZER = JavaSerializer.class.getName();

    @Override
    public RunDispatcher open(String master) {
        SparkConf conf = new SparkConf();
        if (master.isBlank()) {
            throw new IllegalArgumentException("--spark needs a master URL, e.g. --spark local[2] or --spark "
                    + "spark://host:7077");
        }
        if (conf.contains("spark.master") && !conf.get("spark.master").equals(master)) {
            throw new IllegalArgumentException("--spark " + master + " but Spark is configured with master "
                    + conf.get("spark.master") + " (spark-submit --master or -Dspark.master); give the same master to both");
        }
        if (!conf.get("spark.serializer", JAVA_SERIALIZER).equals(JAVA_SERIALIZER)) {
            throw new IllegalArgumentException("--spark " + master + ": spark.serializer is "
                    + conf.get("spark.serializer") + "; peft4j ships its runs with Java serialization: leave "
                    + "spark.serializer unset or set it to " + JAVA_SERIALIZER);
        }
        conf.setMaster(master).setIfMissing("spark.app.name", "peft4j compare")
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        try {
            return new SparkRunDispatcher(new JavaSparkContext(conf));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--spark " + master + ": Spark did not start: " + RunLines.firstLine(e), e);
        }
    }
}
