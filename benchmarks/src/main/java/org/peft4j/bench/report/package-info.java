/**
 * Reports of a comparison: per-epoch CSV, the markdown summary with the side-by-side table and the
 * CoLoRA paper's Tables 2-4, and PNG plots (Fig. 7-9) drawn with XChart.
 */
package org.peft4j.bench.report;
