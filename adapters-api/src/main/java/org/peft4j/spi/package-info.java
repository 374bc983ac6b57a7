/**
 * The service-provider interface of peft4j: what an adapter method implements
 * ({@link org.peft4j.spi.AdapterMethod}, {@link org.peft4j.spi.AdaptedLayer},
 * {@link org.peft4j.spi.MergeableLayer}) and small helpers every method shares.
 */
package org.peft4j.spi;
