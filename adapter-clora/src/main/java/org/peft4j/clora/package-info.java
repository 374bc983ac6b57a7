/**
 * CLoRA for DL4J dense layers and 1D, 2D and 3D convolutions (method {@code clora}): {@link org.peft4j.clora.CloraMethod},
 * {@link org.peft4j.clora.CloraConfig}, the layer configurations {@link org.peft4j.clora.CloraDenseLayer},
 * {@link org.peft4j.clora.CloraConvolution1DLayer}, {@link org.peft4j.clora.CloraConvolutionLayer} and
 * {@link org.peft4j.clora.CloraConvolution3DLayer} (parameter keys in {@link org.peft4j.clora.CloraLayer}), the
 * shared pools at run time ({@code CloraMember}, over {@link org.peft4j.layers.SharedGroup}) and the SADE
 * diversity term ({@code Sade}).
 */
package org.peft4j.clora;
