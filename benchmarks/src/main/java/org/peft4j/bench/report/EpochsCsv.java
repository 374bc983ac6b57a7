package org.peft4j.bench.report;

import java.util.List;
import org.peft4j.bench.run.EpochRecord;
import org.peft4j.bench.run.RunResult;

/** The per-epoch table of every run as CSV (one header line; empty cells where there is no validation set). */
public final class EpochsCsv {

    public static final String HEADER = "method,seed,epoch,train_loss,val_loss,val_accuracy,val_auc,test_loss,"
            + "test_accuracy,test_auc,seconds";

    private EpochsCsv() {
    }

    public static String render(List<RunResult> results) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (RunResult run : results) {
            for (EpochRecord e : run.epochs()) {
                out.append(String.join(",", run.method(), Long.toString(run.seed()), Integer.toString(e.epoch()),
                        number(e.trainLoss()), number(e.valLoss()), number(e.valAccuracy()), number(e.valAuc()),
                        number(e.testLoss()), number(e.testAccuracy()), number(e.testAuc()), number(e.seconds())))
                        .append('\n');
            }
        }
        return out.toString();
    }

    private static String number(Double value) {
        return value == null || value.isNaN() ? "" : Double.toString(value);
    }
}
