package org.peft4j;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * A DL4J training listener that merges every adapter into its frozen weights after every
 * {@code n}-th epoch (the CoLoRA paper merges after each epoch, eq. 12-13), resetting the
 * adapters and their optimiser state.
 *
 * <pre>{@code
 * network.addListeners(new MergeEveryEpochs(1));
 * }</pre>
 */
public final class MergeEveryEpochs extends BaseTrainingListener {

    private final int every;
    private int epochs;
    private int merges;

    /** @param every merge after every {@code every}-th epoch; must be at least 1 */
    public MergeEveryEpochs(int every) {
        if (every < 1) {
            throw new IllegalArgumentException("merge interval must be >= 1 epoch, got " + every);
        }
        this.every = every;
    }

    @Override
    public void onEpochEnd(Model model) {
        epochs++;
        if (epochs % every == 0) {
            AdapterMerger.mergeInPlace(model);
            merges++;
        }
    }

    /** How many merges this listener has made. */
    public int merges() {
        return merges;
    }
}
