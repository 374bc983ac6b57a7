package org.peft4j.backbones.weights;

import java.io.IOException;
import java.nio.file.Path;

/** A weights file that is absent, corrupt, unreadable, or not what was expected; the message names the file. */
public class WeightsFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public WeightsFileException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    public WeightsFileException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /** The file concerned. */
    public Path file() {
        return file;
    }
}
