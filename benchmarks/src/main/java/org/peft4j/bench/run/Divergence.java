package org.peft4j.bench.run;

import java.util.Objects;

/**
 * Where and how a run's training diverged.
 *
 * @param epoch     the 1-based epoch it happened in
 * @param minibatch the 1-based minibatch within that epoch (the epoch's last one when found after it)
 * @param cause     what went wrong, e.g. {@code training loss became NaN}
 */
public record Divergence(int epoch, int minibatch, String cause) {

    public Divergence {
        Objects.requireNonNull(cause, "cause");
    }

    /** One line for reports, e.g. {@code training loss became NaN in epoch 2 (minibatch 5)}. */
    public String describe() {
        return cause + " in epoch " + epoch + " (minibatch " + minibatch + "); lower the learning rate (--lr) "
                + "or check the data";
    }
}
