package org.peft4j.network;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;

/** {@link NetworkKind} for {@link MultiLayerNetwork}. */
final class MultiLayerKind implements NetworkKind<MultiLayerNetwork> {

    @Override
    public List<LayerSlot> layers(MultiLayerNetwork network) {
        if (network.getLayers() == null) {
            throw new IllegalStateException("the MultiLayerNetwork is not initialised: call network.init() "
                    + "(or restore it with ModelSerializer) before adapting it");
        }
        List<NeuralNetConfiguration> confs = network.getLayerWiseConfigurations().getConfs();
        List<LayerSlot> slots = new ArrayList<>(confs.size());
        for (int i = 0; i < confs.size(); i++) {
            Layer config = confs.get(i).getLayer();
            slots.add(new LayerSlot(config.getLayerName(), i, config, network.getLayer(i)));
        }
        return UniqueLayerNames.require(slots);
    }

    @Override
    public List<String> outputLayers(MultiLayerNetwork network) {
        List<NeuralNetConfiguration> confs = network.getLayerWiseConfigurations().getConfs();
        return List.of(confs.get(confs.size() - 1).getLayer().getLayerName());
    }

    @Override
    public MultiLayerNetwork rebuild(MultiLayerNetwork network, Map<String, Layer> replacements,
            ParamSource params, boolean resetCounters) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations().clone();
        for (NeuralNetConfiguration layerConf : conf.getConfs()) {
            Layer replacement = replacements.get(layerConf.getLayer().getLayerName());
            if (replacement != null) {
                layerConf.setLayer(replacement);
            }
            layerConf.clearVariables();
        }
        if (resetCounters) {
            conf.setIterationCount(0);
            conf.setEpochCount(0);
        }
        MultiLayerNetwork rebuilt = new MultiLayerNetwork(conf);
        rebuilt.init();
        for (int i = 0; i < rebuilt.getnLayers(); i++) {
            ParamCopy.into(conf.getConf(i).getLayer().getLayerName(), rebuilt.getLayer(i).paramTable(), params);
        }
        return rebuilt;
    }

    @Override
    public Set<String> upstream(MultiLayerNetwork network, String layer) {
        Set<String> names = new HashSet<>();
        for (NeuralNetConfiguration conf : network.getLayerWiseConfigurations().getConfs()) {
            if (conf.getLayer().getLayerName().equals(layer)) {
                return names;
            }
            names.add(conf.getLayer().getLayerName());
        }
        throw new IllegalArgumentException("the network has no layer '" + layer + "'");
    }

    @Override
    public Optional<String> directLayerInput(MultiLayerNetwork network, String layer) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            if (conf.getConf(i).getLayer().getLayerName().equals(layer)) {
                return i == 0 || conf.getInputPreProcess(i) != null ? Optional.empty()
                        : Optional.of(conf.getConf(i - 1).getLayer().getLayerName());
            }
        }
        throw new IllegalArgumentException("the network has no layer '" + layer + "'");
    }

    @Override
    public int epochCount(MultiLayerNetwork network) {
        return network.getLayerWiseConfigurations().getEpochCount();
    }

    @Override
    public BaseMultiLayerUpdater<?> updater(MultiLayerNetwork network) {
        return (BaseMultiLayerUpdater<?>) network.getUpdater(false);
    }
}
