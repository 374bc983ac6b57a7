package org.peft4j.bench.run;

import java.util.Objects;
import org.peft4j.bench.model.Contender;

/**
 * One (method, seed) run of a comparison that is not yet in its results folder.
 *
 * @param contender the method with its options
 * @param seed      the run's seed
 * @param digest    the fingerprint of the experiment settings, the method and the seed, recorded in the run file
 */
public record PendingRun(Contender contender, long seed, String digest) {

    public PendingRun {
        Objects.requireNonNull(contender, "contender");
        Objects.requireNonNull(digest, "digest");
    }

    /** e.g. {@code lora-conv seed 3}, for messages. */
    public String label() {
        return contender.name() + " seed " + seed;
    }
}
