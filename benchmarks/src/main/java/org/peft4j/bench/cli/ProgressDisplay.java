package org.peft4j.bench.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.peft4j.bench.run.RunProgress;

/** Shows training progress on the error stream: one progress bar with ETA per run, then a result line. */
final class ProgressDisplay implements RunProgress {

    private final PrintStream err;
    private final boolean bars;
    private ProgressBar bar;

    /** @param bars draw progress bars; false prints epoch lines only (e.g. in tests) */
    ProgressDisplay(PrintStream err, boolean bars) {
        this.err = err;
        this.bars = bars;
    }

    @Override
    public void runStarted(String label, long steps) {
        closeBar();
        if (bars) {
            bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500).setMaxRenderedLength(120).build();
        } else {
            err.println(label + ": " + steps + " training steps");
        }
    }

    @Override
    public void step() {
        if (bar != null) {
            bar.step();
        }
    }

    @Override
    public void epochFinished(String summary) {
        if (bar != null) {
            bar.setExtraMessage(summary.substring(summary.indexOf("epoch")));
        } else {
            err.println(summary);
        }
    }

    @Override
    public void runFinished(String summary) {
        closeBar();
        err.println(summary);
    }

    @Override
    public void note(String text) {
        closeBar();
        err.println(text);
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
