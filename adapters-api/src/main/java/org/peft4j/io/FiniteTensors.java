package org.peft4j.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.network.Finite;

/** Finds the tensors that hold NaN or infinite values, for the adapter file's refusals. */
final class FiniteTensors {

    private FiniteTensors() {
    }

    /** One line per tensor with non-finite values: {@code 'layer/key': 3 of 48 values}; empty when all are finite. */
    static List<String> describe(Map<String, INDArray> tensors) {
        List<String> problems = new ArrayList<>();
        tensors.forEach((name, tensor) -> {
            long bad = Finite.countNonFinite(tensor);
            if (bad > 0) {
                problems.add("'" + name + "': " + bad + " of " + tensor.length() + " values");
            }
        });
        return problems;
    }
}
