package org.peft4j.network;

import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Resets the optimiser state (e.g. Adam's moments) of chosen parameters, leaving every other
 * parameter's state untouched. DL4J lays an updater block's state out as {@code k} consecutive
 * segments of the block's parameter count {@code n} (Adam: m then v; AMSGrad: m, v, v-hat), so a
 * parameter at offset {@code o} with length {@code l} owns {@code [j*n + o, j*n + o + l)} for each
 * segment {@code j}.
 */
public final class OptimizerState {

    private OptimizerState() {
    }

    /**
     * Zeroes the state of the given parameters.
     *
     * @param updater the network's updater, or null (nothing to reset)
     * @param keys    parameter keys to reset, per layer name
     * @return the number of state values zeroed
     */
    public static long reset(BaseMultiLayerUpdater<?> updater, Map<String, Set<String>> keys) {
        if (updater == null) {
            return 0;
        }
        long zeroed = 0;
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            INDArray view = block.getUpdaterView();
            long n = block.getParamOffsetEnd() - block.getParamOffsetStart();
            if (view == null || view.length() == 0 || n == 0) {
                continue;
            }
            if (view.length() % n != 0) {
                throw new IllegalStateException("updater block state of length " + view.length()
                        + " is not a multiple of its " + n + " parameters");
            }
            INDArray flat = view.reshape(view.length());
            long segments = view.length() / n;
            for (UpdaterBlock.ParamState param : block.getLayersAndVariablesInBlock()) {
                Set<String> layerKeys = keys.get(param.getLayer().getConfig().getLayerName());
                if (layerKeys == null || !layerKeys.contains(param.getParamName())) {
                    continue;
                }
                long offset = param.getParamOffsetStart() - block.getParamOffsetStart();
                long length = param.getParamOffsetEnd() - param.getParamOffsetStart();
                for (long j = 0; j < segments; j++) {
                    flat.get(NDArrayIndex.interval(j * n + offset, j * n + offset + length)).assign(0);
                    zeroed += length;
                }
            }
        }
        return zeroed;
    }
}
