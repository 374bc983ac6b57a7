/**
 * Source-task pretraining of the small backbones, cached on disk by its settings
 * ({@link org.peft4j.backbones.pretraining.SourceTaskPretraining},
 * {@link org.peft4j.backbones.pretraining.PretrainingSettings}): step one of the fashion-transfer protocol.
 */
package org.peft4j.backbones.pretraining;
