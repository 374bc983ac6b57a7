/**
 * Feeding and evaluating networks: image mini-batches with resizing, scaling and augmentation
 * ({@link org.peft4j.bench.train.ImageBatches}), a uniform view of MultiLayerNetwork and
 * ComputationGraph classifiers, and evaluation with the paper's metrics.
 */
package org.peft4j.bench.train;
