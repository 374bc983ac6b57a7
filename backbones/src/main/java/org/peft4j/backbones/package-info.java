/**
 * Backbones: VGG16 ({@link org.peft4j.backbones.Vgg16}) and the zoo's ResNet50
 * ({@link org.peft4j.backbones.ZooResNet50}) with the CoLoRA paper head
 * ({@link org.peft4j.backbones.PaperHead}), and the CPU-sized {@code vgg-mini}
 * ({@link org.peft4j.backbones.VggMini}) and {@code cnn1d-mini} ({@link org.peft4j.backbones.Cnn1dMini}).
 * Pretrained weights: {@code org.peft4j.backbones.weights}; input preprocessing:
 * {@code org.peft4j.backbones.preprocessing}; source-task pretraining: {@code org.peft4j.backbones.pretraining}.
 */
package org.peft4j.backbones;
