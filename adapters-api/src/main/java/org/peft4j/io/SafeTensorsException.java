package org.peft4j.io;

import java.io.IOException;
import java.nio.file.Path;

/** A safetensors file that is corrupt, truncated, or not what the reader expects; names the file. */
public class SafeTensorsException extends IOException {

    private static final long serialVersionUID = 1L;

    public SafeTensorsException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public SafeTensorsException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
