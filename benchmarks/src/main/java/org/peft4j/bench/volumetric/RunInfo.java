package org.peft4j.bench.volumetric;

import java.time.Instant;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where and when a volumetric run happened, stored with its results (a result without provenance
 * is a rumour).
 *
 * @param time       ISO-8601 start time
 * @param java       Java runtime version
 * @param os         operating system name and version
 * @param arch       CPU architecture
 * @param processors processors visible to the JVM
 * @param backend    ND4J backend class
 * @param nd4jThreads ND4J's maximum OpenMP threads per op
 * @param note       free text, e.g. that the machine was shared
 */
public record RunInfo(String time, String java, String os, String arch, int processors, String backend,
        int nd4jThreads, String note) {

    /** The current process. */
    public static RunInfo current(String note) {
        return new RunInfo(Instant.now().toString(), System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), Nd4j.getBackend().getClass().getSimpleName(),
                Nd4j.getEnvironment().maxThreads(), note);
    }
}
