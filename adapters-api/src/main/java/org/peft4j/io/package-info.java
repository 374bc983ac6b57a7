/** Files: safetensors adapter files and atomic writes. */
package org.peft4j.io;
