package org.peft4j;

import java.util.Arrays;
import java.util.Collection;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.peft4j.layers.AdapterLayer;
import org.peft4j.spi.AdapterParameter;

/**
 * Refuses adapters that cannot be allocated, before anything is allocated. ND4J allocates in native code, where
 * an impossible size ends the run with {@code std::bad_alloc} (or worse) and no hint of the layer or setting at
 * fault; here the parameter count of every adapted layer is summed with overflow checks, and the values and
 * gradients of all adapters (the least any training holds, before updater state) must fit in the machine's
 * physical memory.
 */
final class AdapterBudget {

    /** Bytes of physical memory the adapters may need at most. */
    private final long memoryBytes;

    private AdapterBudget(long memoryBytes) {
        this.memoryBytes = memoryBytes;
    }

    /** The budget of this machine: its physical memory (or the JVM's heap limit when that is unknown). */
    static AdapterBudget ofMachine() {
        long physical = Pointer.totalPhysicalBytes();
        return new AdapterBudget(physical > 0 ? physical : Runtime.getRuntime().maxMemory());
    }

    /** A budget of {@code memoryBytes} bytes. */
    static AdapterBudget of(long memoryBytes) {
        return new AdapterBudget(memoryBytes);
    }

    /**
     * Checks the adapters of {@code layers}, whose parameters will be of {@code dataType}.
     *
     * @throws IllegalArgumentException naming the method, the largest layer and the parameter counts
     */
    void check(String method, Collection<AdapterLayer> layers, DataType dataType) {
        long total = 0;
        long largest = -1;
        String largestLayer = null;
        for (AdapterLayer layer : layers) {
            long count = parameterCount(method, layer);
            total = addExact(total, count, method, layer);
            if (count > largest) {
                largest = count;
                largestLayer = layer.getLayerName();
            }
        }
        double bytes = 2.0 * total * dataType.width();
        if (bytes > memoryBytes) {
            throw new IllegalArgumentException(method + ": the adapters would hold " + total + " parameters, "
                    + gigabytes(bytes) + " for their values and gradients alone, more than the " + gigabytes(memoryBytes)
                    + " of memory available; the largest is layer '" + largestLayer + "' with " + largest
                    + " parameters. Choose a smaller rank (or other size setting) for these layers");
        }
    }

    /** The values {@code layer}'s adapter holds (shared tensors count at their owner only). */
    private static long parameterCount(String method, AdapterLayer layer) {
        long count = 0;
        for (AdapterParameter parameter : layer.adapter().parameters()) {
            if (!layer.getPlan().holds(layer.getLayerName(), parameter.key())) {
                continue;
            }
            long length = 1;
            for (long size : parameter.shape()) {
                try {
                    length = Math.multiplyExact(length, size);
                } catch (ArithmeticException e) {
                    throw tooMany(method, layer, "parameter '" + parameter.key() + "' of shape "
                            + Arrays.toString(parameter.shape()));
                }
            }
            count = addExact(count, length, method, layer);
        }
        return count;
    }

    private static long addExact(long a, long b, String method, AdapterLayer layer) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw tooMany(method, layer, "its parameters");
        }
    }

    private static IllegalArgumentException tooMany(String method, AdapterLayer layer, String what) {
        return new IllegalArgumentException(method + ": the adapter of layer '" + layer.getLayerName() + "' ("
                + layer.weight() + ") cannot be allocated: " + what + " would have more values than a long can count; "
                + "choose a smaller rank (or other size setting)");
    }

    private static String gigabytes(double bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f GB", bytes / (1L << 30));
    }
}
