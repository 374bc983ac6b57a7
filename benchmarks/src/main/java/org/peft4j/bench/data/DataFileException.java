package org.peft4j.bench.data;

import java.io.IOException;
import java.nio.file.Path;

/** A data file that is missing, truncated, corrupt or of the wrong layout; names the file. */
public class DataFileException extends IOException {

    private static final long serialVersionUID = 1L;

    public DataFileException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public DataFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
