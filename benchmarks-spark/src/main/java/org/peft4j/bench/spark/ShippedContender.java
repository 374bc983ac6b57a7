package org.peft4j.bench.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Optional;
import org.peft4j.bench.model.Contender;

/** A {@link Contender} in a form Java serialization ships to the executors ({@code Optional} is not serializable). */
final class ShippedContender implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final Contender.Kind kind;
    private final boolean mergeEveryEpoch;
    private final HashMap<String, String> config;
    /** The layer-name regex, or null for the backbone's default targets. */
    private final String targets;
    private final ArrayList<ShippedContender> parts;

    private ShippedContender(Contender contender) {
        this.name = contender.name();
        this.kind = contender.kind();
        this.mergeEveryEpoch = contender.mergeEveryEpoch();
        this.config = new HashMap<>(contender.config());
        this.targets = contender.targets().orElse(null);
        this.parts = new ArrayList<>(contender.parts().stream().map(ShippedContender::new).toList());
    }

    static ShippedContender of(Contender contender) {
        return new ShippedContender(contender);
    }

    /** The contender again, equal to the one shipped. */
    Contender contender() {
        return new Contender(name, kind, mergeEveryEpoch, config, Optional.ofNullable(targets),
                parts.stream().map(ShippedContender::contender).toList());
    }
}
