package org.peft4j.bench.protocol;

import java.io.IOException;
import org.peft4j.AdapterRegistry;
import org.peft4j.bench.run.Experiment;
import org.peft4j.bench.run.RunProgress;

/** A named, reproducible recipe (see docs/protocols.md) that prepares a comparison. */
public interface Protocol {

    /** Its name, e.g. {@code fashion-transfer}. */
    String name();

    /**
     * Reads the data, prepares the pretrained network supplier and the line-up.
     *
     * @throws IOException              when data or weights cannot be read
     * @throws IllegalArgumentException for bad or inapplicable options
     */
    Experiment prepare(ProtocolOptions options, AdapterRegistry registry, RunProgress progress) throws IOException;
}
