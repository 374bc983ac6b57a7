package org.peft4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The total lines at the foot of DL4J's {@code summary()} table. */
public final class SummaryTotals {

    private SummaryTotals() {
    }

    /** The count on the {@code "<which> Parameters:"} line, e.g. {@code which = "Frozen"}; fails when absent. */
    public static long of(String summary, String which) {
        Matcher m = Pattern.compile(which + " Parameters: +([\\d,]+)").matcher(summary);
        assertThat(m.find()).as(which + " line in%n%s", summary).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }
}
