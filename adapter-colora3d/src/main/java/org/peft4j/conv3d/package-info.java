/**
 * A 3D convolution building block that DL4J lacks: a depthwise 3D convolution
 * ({@link org.peft4j.conv3d.DepthwiseConv3d}), usable as the DL4J layer
 * {@link org.peft4j.conv3d.DepthwiseConvolution3D}.
 */
package org.peft4j.conv3d;
