package org.peft4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A quiet local Spark context for one test class (starting one costs seconds): two executor threads, no web UI,
 * Java serialization (what DL4J's Spark training uses), loopback only.
 */
final class LocalSpark {

    private LocalSpark() {
    }

    static JavaSparkContext start(String appName) {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName(appName)
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.serializer", "org.apache.spark.serializer.JavaSerializer")
                .set("spark.default.parallelism", "2");
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        return sc;
    }
}
