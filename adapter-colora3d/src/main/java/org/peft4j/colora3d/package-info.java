/**
 * CoLoRA for DL4J 3D convolutions (method {@code colora3d}): {@link org.peft4j.colora3d.Colora3dMethod},
 * {@link org.peft4j.colora3d.Colora3dConfig} and the maths in {@code Colora3d}; the layers run on peft4j's execution
 * core ({@link org.peft4j.layers.AdapterLayer}).
 */
package org.peft4j.colora3d;
