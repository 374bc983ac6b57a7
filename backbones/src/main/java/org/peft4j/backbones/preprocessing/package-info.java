/**
 * Input preprocessing that matches pretrained weights: gray to RGB, bilinear resize, and the
 * normalisation the weights were trained with ({@link org.peft4j.backbones.preprocessing.ImageInputs}
 * as plain functions, {@link org.peft4j.backbones.preprocessing.PretrainedInputs} as a DL4J
 * {@code DataSetPreProcessor}).
 */
package org.peft4j.backbones.preprocessing;
