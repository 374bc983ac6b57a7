/**
 * CLoRA for DL4J dense layers and 1D, 2D and 3D convolutions (method {@code clora}): {@link org.peft4j.clora.CloraMethod},
 * {@link org.peft4j.clora.CloraConfig}, the maths of one module and its parameter keys in {@code Clora}, the shared
 * pools ({@link org.peft4j.clora.CloraPlacement}) and the SADE diversity term ({@code Sade}); the layers run on
 * peft4j's execution core ({@link org.peft4j.layers.AdapterLayer}).
 */
package org.peft4j.clora;
