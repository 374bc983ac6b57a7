/**
 * CoLoRA for DL4J 3D convolutions (method {@code colora3d}): {@link org.peft4j.colora3d.Colora3dMethod},
 * {@link org.peft4j.colora3d.Colora3dConfig}, the layer configuration
 * {@link org.peft4j.colora3d.Colora3dLayer} and the maths in {@code Colora3dBranch}.
 */
package org.peft4j.colora3d;
