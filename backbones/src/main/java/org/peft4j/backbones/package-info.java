/**
 * Backbones: VGG16 with the CoLoRA paper head ({@link org.peft4j.backbones.Vgg16}) and the
 * CPU-sized {@code vgg-mini} ({@link org.peft4j.backbones.VggMini}).
 */
package org.peft4j.backbones;
