/**
 * Data readers with strict validation and clear errors naming the file: NumPy {@code .npz}
 * archives and the MedMNIST 2D layout ({@link org.peft4j.bench.data.MedMnist2d}), IDX files and
 * Fashion-MNIST with its embedded sample ({@link org.peft4j.bench.data.FashionMnist}), and image
 * folders ({@link org.peft4j.bench.data.ImageFolder}); all give {@link org.peft4j.bench.data.LabeledImages}.
 */
package org.peft4j.bench.data;
