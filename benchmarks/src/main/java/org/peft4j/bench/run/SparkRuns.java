package org.peft4j.bench.run;

import java.util.List;
import java.util.ServiceLoader;

/** Finds the {@link SparkRunsProvider} on the class path for {@code --spark}. */
public final class SparkRuns {

    /** The command that builds the jar with Spark, from the repository root. */
    public static final String BUILD = "mvn -q -B -DskipTests package -pl benchmarks-spark -am";
    /** The jar with Spark, relative to the repository root. */
    public static final String JAR = "benchmarks-spark/target/peft4j-spark-cli.jar";

    private SparkRuns() {
    }

    /**
     * A dispatcher connected to {@code master}.
     *
     * @throws IllegalArgumentException when no provider is on the class path (this is the plain {@code peft4j.jar}),
     *                                  saying which jar and command to use, or when several are
     */
    public static RunDispatcher open(String master) {
        List<SparkRunsProvider> providers = ServiceLoader.load(SparkRunsProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("--spark " + master + ": this build of peft4j has no Spark (the plain "
                    + "peft4j.jar stays without it). Run the Spark build instead: ./peft4j switches to it when --spark "
                    + "is given, or build it with `" + BUILD + "` and run `java -jar " + JAR + " ...` (on a cluster: "
                    + "spark-submit, see docs/spark.md)");
        }
        if (providers.size() > 1) {
            throw new IllegalArgumentException("--spark " + master + ": several Spark providers on the class path: "
                    + providers.stream().map(p -> p.getClass().getName()).toList() + "; keep one jar");
        }
        return providers.get(0).open(master);
    }
}
