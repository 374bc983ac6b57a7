package org.peft4j.lora;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What {@link LoraParams} reads from a LoRA runtime layer (dense or output). */
interface LoraRuntime {

    /** The layer input [N, nIn] after DL4J's own input dropout. */
    INDArray currentInput();

    /** Gradient views by key, written in place. */
    Map<String, INDArray> gradientViewMap();

    INDArray getParam(String key);
}
