package org.peft4j.bench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.peft4j.Peft;
import org.peft4j.PeftModel;
import org.peft4j.backbones.weights.ExpectedChecksum;
import org.peft4j.backbones.weights.ModelFiles;

/** Reads the files the user hands the command line: DL4J model files and adapter files, with errors naming option and file. */
final class NetworkFiles {

    private NetworkFiles() {
    }

    /**
     * The {@code MultiLayerNetwork} or {@code ComputationGraph} saved in {@code file} with
     * {@code ModelSerializer}.
     *
     * @param option the option that named the file, for error messages
     */
    static Model restore(Path file, String option) throws IOException {
        requireFile(file, option);
        return ModelFiles.restore(file, ExpectedChecksum.unchecked());
    }

    /** {@code base} with the adapter in {@code adapterFile} applied; the base must be the network the adapter was trained on. */
    static PeftModel<Model> loadAdapter(Model base, Path adapterFile, Path baseFile) throws IOException {
        requireFile(adapterFile, "--adapter");
        try {
            return Peft.load(base, adapterFile);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new IOException("cannot apply the adapter " + adapterFile + " to the model " + baseFile + ": "
                    + e.getMessage(), e);
        }
    }

    /** Fails naming {@code option} when {@code file} is not a readable regular file. */
    static void requireFile(Path file, String option) throws NoSuchFileException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, option + ": " + file
                    + (Files.exists(file) ? " is not a file" : " does not exist"));
        }
    }
}
