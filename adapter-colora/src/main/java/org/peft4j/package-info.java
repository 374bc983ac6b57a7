/** CoLoRA for 1D and 2D convolutions (issue #3). */
package org.peft4j;
