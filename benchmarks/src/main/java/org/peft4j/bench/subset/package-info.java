/** Training subsets of the CoLoRA paper: full, balanced, and distilled by predictive entropy. */
package org.peft4j.bench.subset;
