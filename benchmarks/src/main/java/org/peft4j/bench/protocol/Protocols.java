package org.peft4j.bench.protocol;

import java.util.List;

/** The protocols {@code compare} runs, by name. */
public final class Protocols {

    /** Names {@code compare} accepts. */
    public static final List<String> NAMES = List.of(OctmnistPaper.NAME, FashionTransfer.NAME);

    private Protocols() {
    }

    /** The protocol called {@code name}; fails listing the known ones. */
    public static Protocol byName(String name) {
        return switch (name) {
            case OctmnistPaper.NAME -> new OctmnistPaper();
            case FashionTransfer.NAME -> new FashionTransfer();
            case "speed" -> throw new IllegalArgumentException("speed is a command of its own: peft4j speed --help");
            default -> throw new IllegalArgumentException("unknown protocol '" + name + "'; available: "
                    + String.join(", ", NAMES) + " (and the speed command)");
        };
    }
}
