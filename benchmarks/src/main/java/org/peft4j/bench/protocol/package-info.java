/**
 * The protocols (docs/protocols.md) that {@code compare} runs: {@code octmnist-paper} (the CoLoRA paper's
 * experiment on a MedMNIST file the user supplies) and {@code fashion-transfer} (the CPU-sized main job
 * on Fashion-MNIST, with an embedded sample).
 */
package org.peft4j.bench.protocol;
