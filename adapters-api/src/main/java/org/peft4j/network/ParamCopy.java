package org.peft4j.network;

import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Copies parameter values into a freshly built layer, checking shapes. */
final class ParamCopy {

    private ParamCopy() {
    }

    static void into(String layer, Map<String, INDArray> target, ParamSource source) {
        for (Map.Entry<String, INDArray> entry : target.entrySet()) {
            INDArray value = source.valueFor(layer, entry.getKey());
            if (value == null) {
                continue;
            }
            INDArray param = entry.getValue();
            if (!Arrays.equals(param.shape(), value.shape())) {
                throw new IllegalStateException("layer '" + layer + "' parameter '" + entry.getKey()
                        + "' has shape " + Arrays.toString(param.shape()) + " but the value to copy has shape "
                        + Arrays.toString(value.shape()));
            }
            param.assign(value.castTo(param.dataType()));
        }
    }
}
