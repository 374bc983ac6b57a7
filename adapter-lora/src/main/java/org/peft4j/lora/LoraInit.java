package org.peft4j.lora;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** How LoRA's down projection {@code A [nIn, r]} is drawn; {@code B} always starts at zero. */
public enum LoraInit {

    /**
     * Kaiming-uniform as in Hugging Face PEFT ({@code kaiming_uniform_(a=sqrt(5))}):
     * {@code U(-1/sqrt(nIn), 1/sqrt(nIn))}.
     */
    KAIMING_UNIFORM {
        @Override
        public void initialize(INDArray a, long fanIn, int rank) {
            double bound = 1.0 / Math.sqrt(fanIn);
            a.assign(Nd4j.rand(a.dataType(), a.shape()).muli(2 * bound).subi(bound));
        }
    },

    /** Gaussian as in PEFT's {@code init_lora_weights="gaussian"}: {@code N(0, (1/r)^2)}. */
    GAUSSIAN {
        @Override
        public void initialize(INDArray a, long fanIn, int rank) {
            a.assign(Nd4j.randn(a.dataType(), a.shape()).muli(1.0 / rank));
        }
    };

    /**
     * Draws {@code a} in place from ND4J's global random generator (seeded by the network's seed
     * at {@code init()}).
     *
     * @param a     the down projection, shape {@code [nIn, r]} (or the method's equivalent)
     * @param fanIn number of inputs feeding each column of {@code a}
     * @param rank  the LoRA rank r
     */
    public abstract void initialize(INDArray a, long fanIn, int rank);
}
