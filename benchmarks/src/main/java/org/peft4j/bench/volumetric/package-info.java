/**
 * Volumetric data and experiments: the MedMNIST 3D reader ({@link org.peft4j.bench.volumetric.MedMnist3d}),
 * synthetic volumes in the same layout, the {@code colora3d} fine-tuning example
 * ({@link org.peft4j.bench.volumetric.Colora3dExample}) and the 3D step-time benchmark
 * ({@code peft4j speed --networks cnn3d-16,cnn3d-28,cnn3d-48}).
 */
package org.peft4j.bench.volumetric;
