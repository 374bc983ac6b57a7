package org.peft4j.bench.run;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where a run trained: in the process that ran the command, or in a Spark executor. Recorded in each run's
 * {@link Provenance}, collected where the run trained.
 *
 * @param engine   {@code local} (the command's own process) or {@code spark}
 * @param master   the Spark master URL the comparison was submitted to, e.g. {@code local[2]} or
 *                 {@code spark://host:7077}; empty for a local run
 * @param executor the Spark executor id ({@code driver} in Spark's local mode); empty for a local run
 * @param host     the host name of the machine that trained
 */
public record Placement(String engine, String master, String executor, String host) {

    /** The engine of a run in the command's own process. */
    public static final String LOCAL = "local";
    /** The engine of a run trained as a Spark task. */
    public static final String SPARK = "spark";

    /** A run in this process, on this machine. */
    public static Placement local() {
        return new Placement(LOCAL, "", "", hostName());
    }

    /** A run trained as a Spark task of {@code master} on executor {@code executor} of this machine. */
    public static Placement spark(String master, String executor) {
        return new Placement(SPARK, master, executor, hostName());
    }

    /** This machine's host name, or {@code unknown}. */
    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    /** One line for summaries, e.g. {@code spark local[2], executor driver on host1}. */
    public String describe() {
        return SPARK.equals(engine) ? "spark " + master + ", executor " + executor + " on " + host : "local on " + host;
    }
}
