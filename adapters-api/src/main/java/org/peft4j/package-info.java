/**
 * peft4j: parameter-efficient fine-tuning for Deeplearning4j. Start with {@link org.peft4j.Peft}
 * and {@link org.peft4j.PeftConfig}; the adapter methods themselves are plugins
 * ({@link org.peft4j.spi.AdapterMethod}).
 */
package org.peft4j;
