/**
 * What is compared: backbones by name ({@link org.peft4j.bench.model.Backbones}), the methods of a
 * comparison ({@link org.peft4j.bench.model.Lineup}: head-only, full fine-tuning and every registered
 * adapter method) and how each one's trainable network is built ({@link org.peft4j.bench.model.ContenderFactory}).
 */
package org.peft4j.bench.model;
