package org.peft4j;

/**
 * A stretch of code during which a model's adapters are disabled, for try-with-resources:
 *
 * <pre>{@code
 * try (AdapterScope base = model.disabledAdapters()) {
 *     INDArray baseOutput = model.network().output(x);
 * }
 * }</pre>
 *
 * Closing it enables the adapters again, unless they were already disabled when the scope was opened. Closing
 * twice does nothing more.
 */
public final class AdapterScope implements AutoCloseable {

    private final Runnable onClose;
    private boolean closed;

    AdapterScope(Runnable onClose) {
        this.onClose = onClose;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }
}
