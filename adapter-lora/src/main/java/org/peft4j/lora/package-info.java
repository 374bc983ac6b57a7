/**
 * LoRA for DL4J dense and output layers (method {@code lora}: {@link org.peft4j.lora.LoraMethod}, maths in
 * {@code LoraDense}) and the LoRA-conv baseline for 1D and 2D convolutions (method {@code lora-conv}:
 * {@link org.peft4j.lora.LoraConvMethod}, maths in {@code LoraConv}), both configured by
 * {@link org.peft4j.lora.LoraConfig}.
 */
package org.peft4j.lora;
