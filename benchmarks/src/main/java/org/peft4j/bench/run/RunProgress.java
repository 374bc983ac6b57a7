package org.peft4j.bench.run;

/** Receives progress of a comparison, e.g. to draw a progress bar; all methods are called on the training thread. */
public interface RunProgress {

    /** Does nothing. */
    RunProgress SILENT = new RunProgress() {
    };

    /** A run starts; {@code steps} training iterations follow. */
    default void runStarted(String label, long steps) {
    }

    /** One training iteration finished. */
    default void step() {
    }

    /** An epoch was evaluated; {@code summary} is a short line such as {@code epoch 2/10 test acc 0.91}. */
    default void epochFinished(String summary) {
    }

    /** The run ended. */
    default void runFinished(String summary) {
    }

    /** Something worth telling the user (a skipped method, a reused result). */
    default void note(String text) {
    }
}
