package org.peft4j;

import java.util.Objects;
import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.peft4j.network.NetworkKind;
import org.slf4j.LoggerFactory;

/**
 * A DL4J training listener that merges every adapter into its frozen weights after every
 * {@code n}-th epoch (the CoLoRA paper merges after each epoch, eq. 12-13), resetting the
 * adapters and their optimiser state.
 *
 * <pre>{@code
 * network.addListeners(new MergeEveryEpochs(2));
 * network.fit(trainIterator, 10);            // merges after epochs 2, 4, 6, 8 and 10
 * }</pre>
 *
 * <p><b>Which epochs.</b> The epoch number is the network's own epoch count, which DL4J increments at the end
 * of every epoch and saves with the network ({@code ModelSerializer}); {@code Peft.apply} starts it at 0. A
 * network restored mid-training, with a new listener, therefore merges after the same epochs as one trained
 * without interruption: with {@code n = 2}, saving after epoch 3 and resuming merges after epoch 4, not 5.
 *
 * <p><b>Epochs must end.</b> DL4J ends an epoch (and calls this listener) only in
 * {@code fit(DataSetIterator)} / {@code fit(MultiDataSetIterator)} and their {@code numEpochs} variants. A loop of
 * {@code fit(DataSet)} or {@code fit(INDArray, INDArray)} ends no epoch, so nothing would ever be merged; the
 * listener logs a warning the first time it sees such a training step. Train with an iterator, or call
 * {@code network.incrementEpochCount()} and {@code PeftModel.mergeInPlace()} yourself.
 */
public final class MergeEveryEpochs extends BaseTrainingListener {

    private final int every;
    private final Consumer<String> warnings;
    private boolean inEpoch;
    private boolean warned;
    private int merges;

    /** @param every merge after every {@code every}-th epoch; must be at least 1 */
    public MergeEveryEpochs(int every) {
        this(every, LoggerFactory.getLogger(MergeEveryEpochs.class)::warn);
    }

    /**
     * As {@link #MergeEveryEpochs(int)}, reporting misuse (training steps outside any epoch) to {@code warnings},
     * once, instead of the log.
     */
    public MergeEveryEpochs(int every, Consumer<String> warnings) {
        if (every < 1) {
            throw new IllegalArgumentException("merge interval must be >= 1 epoch, got " + every);
        }
        this.every = every;
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    @Override
    public void onEpochStart(Model model) {
        inEpoch = true;
    }

    /** Called before DL4J counts the epoch: the epoch that just ended is number {@code epochCount + 1}. */
    @Override
    public void onEpochEnd(Model model) {
        inEpoch = false;
        int ended = NetworkKind.of(model).epochCount(model) + 1;
        if (ended % every == 0) {
            AdapterMerger.mergeInPlace(model);
            merges++;
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (!inEpoch && !warned) {
            warned = true;
            warnings.accept("MergeEveryEpochs(" + every + ") saw a training step outside an epoch: the network is "
                    + "trained with fit(DataSet) or fit(INDArray, INDArray), which end no epoch, so it will never "
                    + "merge. Train with fit(DataSetIterator, epochs), or merge yourself with PeftModel.mergeInPlace()");
        }
    }

    /** How many merges this listener has made. */
    public int merges() {
        return merges;
    }
}
