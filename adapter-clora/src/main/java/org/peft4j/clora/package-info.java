/**
 * CLoRA for DL4J dense layers and 2D convolutions (method {@code clora}): {@link org.peft4j.clora.CloraMethod},
 * {@link org.peft4j.clora.CloraConfig}, the layer configurations {@link org.peft4j.clora.CloraDenseLayer} and
 * {@link org.peft4j.clora.CloraConvolutionLayer} (parameter keys in {@link org.peft4j.clora.CloraLayer}), the
 * shared pools at run time ({@code CloraMember}, over {@link org.peft4j.layers.SharedGroup}) and the SADE
 * diversity term ({@code Sade}).
 */
package org.peft4j.clora;
