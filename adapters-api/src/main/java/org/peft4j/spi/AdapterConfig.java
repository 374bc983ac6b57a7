package org.peft4j.spi;

import java.io.Serializable;

/**
 * Hyper-parameters of one adapter method. Implementations are Java records that validate their
 * components in the compact constructor (bad values throw {@link IllegalArgumentException} naming
 * the component and the value) and that Jackson can write and read as JSON.
 *
 * <p>Configurations are also {@link Serializable}: DL4J's Spark training ships layer configurations to the
 * executors by Java serialization, so every component must be serializable too (numbers, strings, enums and
 * records of those are).
 */
public interface AdapterConfig extends Serializable {
}
