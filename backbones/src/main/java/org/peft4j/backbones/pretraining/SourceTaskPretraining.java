package org.peft4j.backbones.pretraining;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.peft4j.Seeds;
import org.peft4j.backbones.VggMini;
import org.peft4j.backbones.weights.WeightsFileException;
import org.peft4j.io.AtomicFiles;

/**
 * Pretrains a small backbone on a source task, and keeps the result in a cache folder: the network
 * is saved atomically to {@code <folder>/<PretrainingSettings#fileName()>} with a provenance file
 * beside it ({@code .json}: the settings, versions, machine, time, final score), and later runs
 * with equal settings load it instead of training.
 *
 * <pre>{@code
 * SourceTaskPretraining cache = new SourceTaskPretraining(Path.of("runs/pretrained"));
 * MultiLayerNetwork backbone = cache.pretrained(PretrainingSettings.fashionTransfer("fashion-mnist train 0-4"),
 *         () -> sourceIterator);   // called only when the network is not cached yet
 * }</pre>
 *
 * <p>The iterator gives [N, 1, 28, 28] features scaled to [0, 1] and one-hot labels [N, classes]
 * in batches of {@code batchSize}; its order is the caller's (shuffle it with a fixed seed for
 * reproducible runs).
 */
public final class SourceTaskPretraining {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;

    /** @param folder where pretrained networks are kept; created when first written */
    public SourceTaskPretraining(Path folder) {
        if (folder == null) {
            throw new IllegalArgumentException("the pretraining cache folder must be given");
        }
        this.folder = folder;
    }

    /** The file that holds (or will hold) the network pretrained with {@code settings}. */
    public Path cacheFile(PretrainingSettings settings) {
        return folder.resolve(settings.fileName());
    }

    /**
     * The network pretrained with {@code settings}: loaded when cached, otherwise trained on
     * {@code data.get()} and saved before it is returned.
     *
     * @param listeners attached while training (e.g. a progress display), removed before the network is saved
     * @throws WeightsFileException when a cached file exists but cannot be read (it is not overwritten)
     */
    public MultiLayerNetwork pretrained(PretrainingSettings settings, Supplier<DataSetIterator> data,
            TrainingListener... listeners) throws IOException {
        Path file = cacheFile(settings);
        if (Files.isRegularFile(file)) {
            try {
                return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
            } catch (IOException | RuntimeException e) {
                throw new WeightsFileException(file, "cached pretrained network cannot be read (delete it to retrain): "
                        + e.getMessage(), e);
            }
        }
        MultiLayerNetwork network = train(settings, data.get(), listeners);
        AtomicFiles.writeModel(network, file, false);
        AtomicFiles.writeString(provenanceFile(file), provenance(settings, network));
        return network;
    }

    /**
     * Trains a fresh backbone with {@code settings} on {@code data}, without the cache.
     *
     * @param listeners attached while training, removed afterwards
     */
    public static MultiLayerNetwork train(PretrainingSettings settings, DataSetIterator data,
            TrainingListener... listeners) {
        if (!data.resetSupported()) {
            throw new IllegalArgumentException("pretraining makes " + settings.epochs()
                    + " passes, so it needs an iterator that can be reset");
        }
        data.reset();
        if (!data.hasNext()) {
            throw new IllegalArgumentException("the source data iterator is empty");
        }
        check(settings, data.next());
        data.reset();

        MultiLayerConfiguration conf = VggMini.configuration(settings.classes(), settings.seed(), DataType.FLOAT);
        for (NeuralNetConfiguration layer : conf.getConfs()) {
            if (layer.getLayer() instanceof BaseLayer base) {
                base.setIUpdater(new Adam(settings.learningRate()));
            }
        }
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        Seeds.seedNd4j(settings.seed());
        network.setListeners(listeners);
        network.fit(data, settings.epochs());
        network.setListeners();
        return network;
    }

    private static void check(PretrainingSettings settings, DataSet first) {
        long[] features = first.getFeatures().shape();
        long[] labels = first.getLabels().shape();
        if (features.length != 4 || features[1] != 1 || features[2] != 28 || features[3] != 28) {
            throw new IllegalArgumentException(settings.backbone() + " takes features [N, 1, 28, 28], the iterator gives "
                    + Arrays.toString(features));
        }
        if (labels.length != 2 || labels[1] != settings.classes()) {
            throw new IllegalArgumentException("the settings have " + settings.classes()
                    + " classes, the iterator's labels are " + Arrays.toString(labels));
        }
        if (features[0] > settings.batchSize()) {
            throw new IllegalArgumentException("the iterator's first batch has " + features[0]
                    + " examples, more than the settings' batch size " + settings.batchSize());
        }
        double min = first.getFeatures().minNumber().doubleValue();
        double max = first.getFeatures().maxNumber().doubleValue();
        if (min < 0 || max > 1) {
            throw new IllegalArgumentException("inputs must be scaled to [0, 1]; the first batch spans [" + min + ", "
                    + max + "]");
        }
    }

    private static Path provenanceFile(Path model) {
        return model.resolveSibling(model.getFileName() + ".json");
    }

    private static String provenance(PretrainingSettings settings, MultiLayerNetwork network) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.set("settings", JSON.valueToTree(settings));
        root.put("cacheKey", settings.cacheKey());
        root.put("finalScore", network.score());
        root.put("epochs", network.getEpochCount());
        root.put("parameters", network.numParams());
        String dl4j = MultiLayerNetwork.class.getPackage().getImplementationVersion();
        root.put("dl4jVersion", dl4j == null ? "unknown" : dl4j);
        root.put("java", System.getProperty("java.version"));
        root.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        root.put("processors", Runtime.getRuntime().availableProcessors());
        root.put("created", Instant.now().toString());
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }
}
