package org.peft4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.io.AdapterFile;
import org.peft4j.io.BaseFingerprint;
import org.peft4j.io.SafeTensorsException;
import org.peft4j.spi.AdapterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What loading an adapter file onto a model checks beyond layer names and shapes: that the model
 * was built with the file's configuration, and that its frozen base weights are the ones the
 * adapter was trained on.
 */
final class AdapterFileChecks {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterFileChecks.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdapterFileChecks() {
    }

    /**
     * Refuses a file whose method configuration {@code configJson} differs from {@code config}, naming each
     * differing field with its value in the file and in the model.
     *
     * @param where the layers concerned, for the message (e.g. {@code  on layer 'fc1'}), or empty
     */
    static void sameConfig(Path file, String configJson, String method, AdapterConfig config, String where)
            throws SafeTensorsException {
        JsonNode inFile;
        JsonNode inModel;
        try {
            inFile = JSON.readTree(configJson);
            inModel = JSON.readTree(AdapterFileWriter.configJson(config));
        } catch (JsonProcessingException e) {
            throw new SafeTensorsException(file, "bad '" + method + "' config in header: " + e.getOriginalMessage(), e);
        }
        Collection<String> fields = new TreeSet<>();
        inFile.fieldNames().forEachRemaining(fields::add);
        inModel.fieldNames().forEachRemaining(fields::add);
        List<String> differences = new ArrayList<>();
        for (String field : fields) {
            if (!Objects.equals(inFile.get(field), inModel.get(field))) {
                differences.add(field + " is " + inFile.get(field) + " in the file but " + inModel.get(field)
                        + " in this model");
            }
        }
        if (!differences.isEmpty() || !inFile.isObject() && !inFile.equals(inModel)) {
            throw new SafeTensorsException(file, "the adapter was trained with another '" + method
                    + "' configuration" + where + ": " + (differences.isEmpty() ? inFile + " vs " + inModel
                    : String.join("; ", differences)) + ". Build the model with the file's configuration,"
                    + " or load the file with Peft.load(base, file), which takes it from the file");
        }
    }

    /**
     * Refuses a file whose base fingerprint for {@code layer} differs from that of its frozen
     * parameters {@code frozenKeys} in {@code params}. A file without fingerprints (format version
     * 1) passes: see {@link #warnIfBaseUnchecked}.
     */
    static void sameBase(Path file, AdapterFile adapter, String layer, Map<String, INDArray> params,
            Collection<String> frozenKeys) throws SafeTensorsException {
        if (adapter.baseFingerprints().isEmpty()) {
            return;
        }
        String expected = adapter.baseFingerprints().get(layer);
        if (expected == null) {
            throw new SafeTensorsException(file, "adapter header has no base fingerprint for layer '" + layer + "'");
        }
        String actual = BaseFingerprint.of(params, frozenKeys);
        if (!expected.equals(actual)) {
            throw new SafeTensorsException(file, "adapter file was made for another model: the frozen weights of"
                    + " layer '" + layer + "' are not those the adapter was trained on (base sha256 " + actual
                    + " here, " + expected + " in the file). If it was trained with merges (MergeEveryEpochs,"
                    + " mergeInPlace), its learned update lives in the merged weights, which an adapter file does"
                    + " not hold: load it onto the network it was trained on after the merges, or ship that"
                    + " model's mergeAndUnload() network instead");
        }
    }

    /** Logs a warning when {@code adapter} (format version 1) carries no base fingerprints. */
    static void warnIfBaseUnchecked(Path file, AdapterFile adapter) {
        if (adapter.baseFingerprints().isEmpty()) {
            LOG.warn("{} is an adapter file of format version {}: it records no fingerprint of its base weights"
                    + " and its header is not covered by its checksum, so peft4j cannot check that it is loaded"
                    + " onto the network it was trained on. Save it again with PeftModel.saveAdapter to get"
                    + " these checks", file, AdapterFile.VERSION_1);
        }
    }
}
