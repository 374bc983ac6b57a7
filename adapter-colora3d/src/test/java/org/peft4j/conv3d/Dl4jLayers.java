package org.peft4j.conv3d;

import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Single DL4J runtime layers built from a configuration, as DL4J's own layer tests build them. */
public final class Dl4jLayers {

    private Dl4jLayers() {
    }

    /** A runtime layer of {@code config} in double precision with freshly initialised parameters. */
    public static Layer instantiate(org.deeplearning4j.nn.conf.layers.Layer config) {
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(12)
                .layer(config).build();
        long n = conf.getLayer().initializer().numParams(conf);
        INDArray params = Nd4j.create(DataType.DOUBLE, 1, n);
        Layer layer = conf.getLayer().instantiate(conf, List.of(), 0, params, true, DataType.DOUBLE);
        layer.setBackpropGradientsViewArray(Nd4j.create(DataType.DOUBLE, 1, n));
        return layer;
    }

    public static LayerWorkspaceMgr noWorkspaces() {
        return LayerWorkspaceMgr.noWorkspaces();
    }
}
