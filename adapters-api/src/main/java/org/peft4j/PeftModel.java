package org.peft4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.io.AdapterFile;
import org.peft4j.io.SafeTensorsException;
import org.peft4j.network.LayerSlot;
import org.peft4j.network.NetworkKind;
import org.peft4j.network.OptimizerState;
import org.peft4j.spi.AdaptedLayer;
import org.peft4j.spi.AdapterConfig;

/**
 * A DL4J network with adapters, and what can be done with it. The network holds the active adapter:
 * {@link Peft#wrap} gives back an equal model for a network restored with {@code ModelSerializer}.
 * Train it with the network's own {@code fit}. Besides the network, the model holds what the
 * lifecycle calls need (see docs/lifecycle.md): the other named adapters ({@link #addAdapter}) and,
 * while adapters are disabled or merged, the values to restore. Use one model per network. Its layers may be
 * adapted by different methods ({@link PeftConfig.Builder#rule}, {@link #layerMethods()}); every call covers
 * every adapted layer.
 *
 * @param <N> {@code MultiLayerNetwork} or {@code ComputationGraph}
 */
public final class PeftModel<N extends Model> {

    private final N network;
    private final NetworkKind<N> kind;
    private final AdapterSwitch<N> lifecycle;
    private final NamedAdapters adapters = new NamedAdapters();

    PeftModel(N network) {
        this.network = network;
        this.kind = NetworkKind.of(network);
        this.lifecycle = new AdapterSwitch<>(network, kind);
        if (adapted().isEmpty()) {
            throw new IllegalArgumentException("the network has no adapted layers");
        }
    }

    /** The adapted network; train it with its {@code fit}. */
    public N network() {
        return network;
    }

    /**
     * The adapter method's name; for a model adapted with several methods, their names in network order of
     * first use, joined with {@code +} (e.g. {@code colora+lora}); see {@link #layerMethods()}.
     */
    public String method() {
        return String.join("+", layerMethods().values().stream().map(MethodAndConfig::method).distinct().toList());
    }

    /**
     * The adapter method's hyper-parameters, the same for every adapted layer.
     *
     * @throws IllegalStateException when the layers differ in method or configuration (several rules, rank
     *                               or alpha patterns): see {@link #layerMethods()}
     */
    public AdapterConfig config() {
        Set<MethodAndConfig> distinct = new LinkedHashSet<>(layerMethods().values());
        if (distinct.size() != 1) {
            throw new IllegalStateException("the adapted layers differ in method or configuration (" + distinct
                    + "), so the model has no single config(); see layerMethods()");
        }
        return distinct.iterator().next().config();
    }

    /** The method and configuration of every adapted layer, by layer name, in network order. */
    public Map<String, MethodAndConfig> layerMethods() {
        Map<String, MethodAndConfig> methods = new LinkedHashMap<>();
        for (LayerSlot slot : adapted()) {
            AdaptedLayer layer = (AdaptedLayer) slot.config();
            methods.put(slot.name(), new MethodAndConfig(layer.methodName(), layer.adapterConfig()));
        }
        return methods;
    }

    /** Names of the adapted layers, in network order. */
    public List<String> adaptedLayers() {
        return adapted().stream().map(LayerSlot::name).toList();
    }

    /**
     * Training merge: adds every adapter's delta to its frozen weights for good and resets the adapter
     * and its optimiser state (the paper's per-epoch merge); training goes on from there. Outputs are
     * unchanged up to rounding. Refused while other named adapters are loaded (they were trained on the
     * frozen weights this changes). For a merge that can be undone, see {@link #merge()}.
     *
     * @throws UnsafeMergeException when a merged weight would be NaN or infinite (nothing is changed)
     */
    public void mergeInPlace() {
        lifecycle.requireActive("mergeInPlace");
        if (adapters.names().size() > 1) {
            throw new IllegalStateException("mergeInPlace would move adapter '" + adapters.active()
                    + "' into the frozen weights the other adapters " + adapters.names() + " were trained on; "
                    + "delete them first (deleteAdapter)");
        }
        AdapterMerger.mergeInPlace(network);
    }

    /**
     * Inference merge that can be undone: writes {@code W = W0 + ΔW} into the frozen weights and sets
     * the adapters to zero, keeping copies of {@code W0} and of the adapter values. Outputs are unchanged
     * up to rounding; {@code fit} is refused until {@link #unmerge()}. Unlike {@link #mergeInPlace()},
     * the optimiser state is kept and nothing is lost.
     *
     * @throws IllegalStateException when the adapters are disabled or merged already
     * @throws UnsafeMergeException  when a merged weight would be NaN or infinite (nothing is changed)
     */
    public void merge() {
        lifecycle.merge();
    }

    /** Undoes {@link #merge()}: the frozen weights and the adapter are bit-identical to before it. */
    public void unmerge() {
        lifecycle.unmerge();
    }

    /** True between {@link #merge()} and {@link #unmerge()}. */
    public boolean isMerged() {
        return lifecycle.state() == AdapterSwitch.State.MERGED;
    }

    /**
     * Runs the base network alone: every adapted layer computes with its frozen weights only, exactly
     * as the base layer does (other trainable layers, e.g. a new head, stay as they are). The adapter
     * values are kept and come back with {@link #enableAdapters()}; {@code fit} is refused meanwhile.
     * Does nothing when already disabled.
     *
     * @throws IllegalStateException while merged
     */
    public void disableAdapters() {
        lifecycle.disable();
    }

    /** Undoes {@link #disableAdapters()}; does nothing when the adapters are enabled. */
    public void enableAdapters() {
        lifecycle.enable();
    }

    /** False between {@link #disableAdapters()} and {@link #enableAdapters()}. */
    public boolean adaptersEnabled() {
        return lifecycle.state() != AdapterSwitch.State.DISABLED;
    }

    /** Disables the adapters until the returned scope is closed (see {@link AdapterScope}). */
    public AdapterScope disabledAdapters() {
        boolean wasEnabled = adaptersEnabled();
        lifecycle.disable();
        return new AdapterScope(wasEnabled ? lifecycle::enable : () -> { });
    }

    /**
     * A NEW plain DL4J network with the original layer types and merged weights, computing what
     * this model computes; usable without peft4j. This model is not changed.
     */
    public N mergeAndUnload() {
        lifecycle.requireActive("mergeAndUnload");
        return Unloader.mergeAndUnload(network);
    }

    /**
     * The base network back: a NEW plain DL4J network with the original layer types and the frozen
     * weights as they are, the adapters dropped without merging; other trainable layers (e.g. a new
     * head) keep their values. Usable without peft4j. This model is not changed.
     *
     * @throws IllegalStateException while merged (the frozen weights then hold the adapter)
     */
    public N unload() {
        lifecycle.requireUnmerged("unload");
        return Unloader.unload(network);
    }

    /** Trainable / frozen / total parameters per layer and overall. */
    public ParameterReport parameterReport() {
        return ParameterReport.of(network);
    }

    /**
     * DL4J's {@code summary()} table with the trainable, frozen and total counts of
     * {@link #parameterReport()}: the network's own {@code summary()} counts only whole DL4J
     * {@code FrozenLayer}s as frozen, so it shows an adapted layer's frozen weights as trainable.
     */
    public String summary() {
        return Dl4jSummary.of(network, parameterReport());
    }

    /**
     * Atomically saves the adapter alone: adapter parameters and the other trainable layers'
     * parameters, with a header describing them and a fingerprint of the frozen weights they apply
     * to (see {@link AdapterFile}). After merges ({@link #mergeInPlace}, {@link MergeEveryEpochs})
     * those are the merged weights: the file then loads only onto this network, not onto the
     * pretrained one; ship {@link #mergeAndUnload()} to hand the whole learned model on.
     *
     * @throws IllegalStateException when an adapter parameter is NaN or infinite (nothing is written)
     */
    public void saveAdapter(Path file) throws IOException {
        lifecycle.requireActive("saveAdapter");
        AdapterFileWriter.of(network, kind).write(file);
    }

    /**
     * Loads adapter weights saved by {@link #saveAdapter} into this model's active adapter: the same methods and
     * configurations per layer, layers and frozen base weights (checked with the file's base fingerprints; a
     * file of format version 1 has none, which is logged as a warning).
     *
     * @throws SafeTensorsException naming the file and what differs, when the file does not fit this
     *                              model; nothing is changed then
     */
    public void loadAdapterWeights(Path file) throws IOException {
        loadAdapterWeights(file, AdapterFile.read(file));
    }

    void loadAdapterWeights(Path file, AdapterFile adapter) throws IOException {
        lifecycle.requireActive("loadAdapterWeights");
        Map<String, INDArray> targets = AdapterFileFit.targets(file, adapter, kind.layers(network));
        targets.forEach((name, param) -> param.assign(adapter.tensors().get(name).castTo(param.dataType())));
    }

    /**
     * Loads another adapter for this base, saved by {@link #saveAdapter}, and keeps it in memory under
     * {@code name}; the active adapter does not change. The file must fit this model as for
     * {@link #loadAdapterWeights} and train the same layers.
     *
     * @throws SafeTensorsException naming the file and what differs; nothing is loaded then
     */
    public void addAdapter(String name, Path file) throws IOException {
        adapters.requireNew(name);
        lifecycle.requireActive("addAdapter '" + name + "'");
        AdapterFile adapter = AdapterFile.read(file);
        Map<String, INDArray> targets = AdapterFileFit.targets(file, adapter, kind.layers(network));
        AdapterTensors own = AdapterTensors.of(kind.layers(network));
        if (!targets.keySet().equals(own.views().keySet())) {
            throw new SafeTensorsException(file, "adapter '" + name + "' trains layers " + adapter.trainable()
                    + " besides its adapters, this model " + own.trainable() + "; they must be the same");
        }
        adapters.add(name, AdapterValues.copyOf(adapter.tensors(), own.views()));
    }

    /**
     * Makes the adapter {@code name} the active one: its values are copied into the network's adapter
     * parameters (and trainable layers), the previously active one's are kept in memory; the
     * optimiser state of those parameters is reset. The network is not rebuilt.
     */
    public void setActiveAdapter(String name) {
        adapters.requireKnown(name);
        lifecycle.requireActive("setActiveAdapter '" + name + "'");
        if (!name.equals(adapters.active())) {
            AdapterTensors tensors = AdapterTensors.of(kind.layers(network));
            adapters.activate(name, AdapterValues.copyOf(tensors.views())).writeInto(tensors.views());
            OptimizerState.reset(kind.updater(network), tensors.keys());
        }
    }

    /** The name of the adapter in the network ({@value NamedAdapters#DEFAULT} unless switched). */
    public String activeAdapter() {
        return adapters.active();
    }

    /** The names of the loaded adapters, in the order they were added. */
    public List<String> adapterNames() {
        return adapters.names();
    }

    /** Forgets an inactive adapter; the active one cannot be deleted. */
    public void deleteAdapter(String name) {
        adapters.delete(name);
    }

    private List<LayerSlot> adapted() {
        return AdapterMerger.adaptedSlots(kind.layers(network));
    }

    @Override
    public String toString() {
        return "PeftModel{method=" + method() + ", adapted=" + adaptedLayers() + "}";
    }
}
