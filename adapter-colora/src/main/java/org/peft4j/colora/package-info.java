/**
 * CoLoRA for DL4J 1D and 2D convolutions (method {@code colora}): {@link org.peft4j.colora.ColoraMethod},
 * {@link org.peft4j.colora.ColoraConfig}, the layer configurations
 * {@link org.peft4j.colora.ColoraConvolutionLayer} and {@link org.peft4j.colora.ColoraConvolution1DLayer},
 * and the maths in {@code ColoraBranch} (runtime: {@link org.peft4j.layers.MergedConvRuntime}).
 */
package org.peft4j.colora;
