/**
 * LoRA for DL4J dense and output layers (method {@code lora}): {@link org.peft4j.lora.LoraMethod},
 * {@link org.peft4j.lora.LoraConfig}, the layer configurations {@link org.peft4j.lora.LoraDenseLayer}
 * and {@link org.peft4j.lora.LoraOutputLayer}, and the maths in {@code LoraBranch}.
 */
package org.peft4j.lora;
