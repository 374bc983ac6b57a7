/**
 * 3D convolution building blocks that DL4J lacks: a depthwise 3D convolution
 * ({@link org.peft4j.conv3d.DepthwiseConv3d}, usable as the DL4J layer
 * {@link org.peft4j.conv3d.DepthwiseConvolution3D}), the geometry of a DL4J
 * {@code Convolution3D} on an input ({@link org.peft4j.conv3d.Conv3dGeometry}), and a full 3D
 * convolution whose input gradient skips the kernel gradient ({@link org.peft4j.conv3d.NativeConv3d}), and the
 * runtime of an adapted {@code Convolution3D} that trains through its merged kernel
 * ({@link org.peft4j.conv3d.MergedConv3dRuntime}).
 */
package org.peft4j.conv3d;
