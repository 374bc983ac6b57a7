package org.peft4j.bench.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A quiet local Spark context for one test class (starting one costs seconds): two task slots in this JVM, no web UI,
 * Java serialization, loopback only.
 */
final class TestSpark {

    static final String MASTER = "local[2]";

    private TestSpark() {
    }

    static JavaSparkContext start(String appName) {
        SparkConf conf = new SparkConf().setMaster(MASTER).setAppName(appName)
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        return sc;
    }
}
