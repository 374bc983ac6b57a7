package org.peft4j;

/**
 * A merge was refused because the merged weights would hold NaN or infinity; the network's
 * weights were left untouched (Hugging Face PEFT's {@code safe_merge}).
 */
public class UnsafeMergeException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public UnsafeMergeException(String message) {
        super(message);
    }
}
