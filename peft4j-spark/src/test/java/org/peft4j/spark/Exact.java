package org.peft4j.spark;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.testkit.Nets;

/**
 * Values to compare bit for bit. {@code INDArray.equals} allows a difference of {@code Nd4j.EPS_THRESHOLD}; boxed
 * doubles compare exactly (float values convert to double exactly).
 */
final class Exact {

    private Exact() {
    }

    static List<Double> values(INDArray array) {
        return Arrays.stream(Nets.values(array)).boxed().toList();
    }

    static Map<String, List<Double>> values(Map<String, INDArray> arrays) {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        arrays.forEach((name, array) -> out.put(name, values(array)));
        return out;
    }
}
