package org.peft4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A copy of an adapter's values held in memory, by tensor name ({@link org.peft4j.io.AdapterFile#tensorName}),
 * each with the shape and data type of the network parameter it is written into. Writing it back into the
 * network's views is an exact copy.
 */
final class AdapterValues {

    private final Map<String, INDArray> values;

    private AdapterValues(Map<String, INDArray> values) {
        this.values = values;
    }

    /** Copies of {@code sources}, cast to the data type of the view of the same name in {@code views}. */
    static AdapterValues copyOf(Map<String, INDArray> sources, Map<String, INDArray> views) {
        Map<String, INDArray> copies = new LinkedHashMap<>();
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            views.forEach((name, view) -> copies.put(name,
                    sources.get(name).castTo(view.dataType()).reshape(view.shape()).dup()));
        }
        return new AdapterValues(copies);
    }

    /** Copies of the current values of {@code views}. */
    static AdapterValues copyOf(Map<String, INDArray> views) {
        return copyOf(views, views);
    }

    /** Writes every value into the view of the same name. */
    void writeInto(Map<String, INDArray> views) {
        values.forEach((name, value) -> views.get(name).assign(value));
    }

    Set<String> names() {
        return values.keySet();
    }
}
