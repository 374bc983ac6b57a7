package org.peft4j.bench.spark;

import java.io.Serializable;
import org.peft4j.bench.run.PendingRun;

/** One pending (method, seed) run, as a Spark task's input. */
final class ShippedRun implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ShippedContender contender;
    private final long seed;
    private final String digest;
    private final String label;

    private ShippedRun(PendingRun run) {
        this.contender = ShippedContender.of(run.contender());
        this.seed = run.seed();
        this.digest = run.digest();
        this.label = run.label();
    }

    static ShippedRun of(PendingRun run) {
        return new ShippedRun(run);
    }

    /** The run again. */
    PendingRun run() {
        return new PendingRun(contender.contender(), seed, digest);
    }

    /** e.g. {@code lora-conv seed 3}. */
    String label() {
        return label;
    }
}
