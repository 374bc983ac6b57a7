package org.peft4j.spi;

/**
 * Hyper-parameters of one adapter method. Implementations are Java records that validate their
 * components in the compact constructor (bad values throw {@link IllegalArgumentException} naming
 * the component and the value) and that Jackson can write and read as JSON.
 */
public interface AdapterConfig {
}
