/**
 * LoRA for DL4J dense and output layers (method {@code lora}): {@link org.peft4j.lora.LoraMethod},
 * {@link org.peft4j.lora.LoraConfig}, the layer configurations {@link org.peft4j.lora.LoraDenseLayer}
 * and {@link org.peft4j.lora.LoraOutputLayer}, and the maths in {@code LoraBranch}; and the LoRA-conv
 * baseline for 1D and 2D convolutions (method {@code lora-conv}): {@link org.peft4j.lora.LoraConvMethod},
 * {@link org.peft4j.lora.LoraConvolutionLayer}, {@link org.peft4j.lora.LoraConvolution1DLayer}, the
 * maths in {@code LoraConvBranch}.
 */
package org.peft4j.lora;
