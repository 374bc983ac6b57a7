/**
 * CoLoRA for DL4J 1D and 2D convolutions (method {@code colora}): {@link org.peft4j.colora.ColoraMethod},
 * {@link org.peft4j.colora.ColoraConfig} and the maths in {@code Colora}; the layers run on peft4j's execution
 * core ({@link org.peft4j.layers.AdapterLayer}).
 */
package org.peft4j.colora;
