/** DL4J layer configurations peft4j adds to adapted networks (the frozen wrapper). */
package org.peft4j.layers;
