/**
 * Classification metrics of the CoLoRA paper: confusion matrix, per-class recall, precision and
 * specificity (eq. 20-23), accuracy, per-class one-vs-rest ROC curves and AUC with their macro average.
 */
package org.peft4j.bench.metrics;
