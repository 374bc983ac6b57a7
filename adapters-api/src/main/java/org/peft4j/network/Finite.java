package org.peft4j.network;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/** Tests arrays for NaN and infinity. */
public final class Finite {

    private Finite() {
    }

    /** True when every element of {@code array} is a finite number. */
    public static boolean all(INDArray array) {
        return !BooleanIndexing.or(array, Conditions.notFinite());
    }

    /** How many elements of {@code array} are NaN or infinite. */
    public static long countNonFinite(INDArray array) {
        return array.scan(Conditions.notFinite()).longValue();
    }
}
