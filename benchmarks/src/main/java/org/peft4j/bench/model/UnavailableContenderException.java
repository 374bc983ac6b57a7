package org.peft4j.bench.model;

/** A method cannot be applied to this backbone (e.g. it cannot adapt the selected layers); the run is skipped. */
public class UnavailableContenderException extends Exception {

    private static final long serialVersionUID = 1L;

    public UnavailableContenderException(String reason) {
        super(reason);
    }
}
