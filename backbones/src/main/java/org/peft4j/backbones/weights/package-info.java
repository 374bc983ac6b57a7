/**
 * Pretrained weights from local files: DL4J model files and the zoo's cache
 * ({@link org.peft4j.backbones.weights.ModelFiles}, {@link org.peft4j.backbones.weights.ZooWeights}),
 * Keras {@code .h5} weights ({@link org.peft4j.backbones.weights.KerasH5Weights}), each checked
 * against an {@link org.peft4j.backbones.weights.ExpectedChecksum}, and their transfer into a
 * backbone by layer name and shape ({@link org.peft4j.backbones.weights.WeightTransfer}).
 */
package org.peft4j.backbones.weights;
