/**
 * The {@code speed} protocol: cost of one training step and of inference per method, on
 * {@code vgg-mini} and {@code vgg16-64}, with ratios to full fine-tuning and to the base network.
 * Entry points: {@link org.peft4j.bench.speed.SpeedBenchmark#run} and its {@code main}.
 */
package org.peft4j.bench.speed;
