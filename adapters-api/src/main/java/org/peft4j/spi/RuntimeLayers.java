package org.peft4j.spi;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The wiring every DL4J layer configuration's {@code instantiate} does for its runtime layer. */
public final class RuntimeLayers {

    private RuntimeLayers() {
    }

    /**
     * Attaches listeners, index, configuration and the parameter views (initialised by the
     * configuration's {@code initializer()} when {@code initializeParams}) to {@code layer}.
     *
     * @return {@code layer}
     */
    public static <L extends Layer> L wire(L layer, NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
            int index, INDArray paramsView, boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(conf.getLayer().initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
