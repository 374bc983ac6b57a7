/**
 * Reports of a comparison: per-epoch CSV, the markdown summary with the side-by-side table and the
 * CoLoRA paper's Tables 2-4, PNG plots (Fig. 7-9) per method and two figures with every method (accuracy per
 * epoch, accuracy against trainable parameters), drawn with XChart.
 */
package org.peft4j.bench.report;
