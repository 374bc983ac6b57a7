package org.peft4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.peft4j.spi.AdapterParameters;
import org.peft4j.spi.GroupMember;

/**
 * Both routes of {@link MergeSnapshot} (a heap copy for small layers, a frozen-range checksum and a held-range copy
 * for large ones) on a layer's parameter view offset into a larger network vector, as an adapted layer holds it:
 * unchanged parameters match; a change of one frozen value, one held adapter value or one shared parameter does not.
 * The heap route and every held-range comparison are exact to the last bit.
 */
class MergeSnapshotTest {

    private static final long SMALL = 300;
    private static final long LARGE = MergeSnapshot.HEAP_ROUTE_MAX_LENGTH + 100;

    @ParameterizedTest
    @CsvSource({"FLOAT, 300", "DOUBLE, 300", "FLOAT, " + LARGE, "DOUBLE, " + LARGE})
    void unchangedParametersMatchAndAnyChangedValueDoesNot(DataType type, long length) {
        long baseLength = length - 40;
        Layer layer = new Layer(type, length);
        assertThat(MergeSnapshot.onHeap(layer.flat)).isEqualTo(length == SMALL);
        Shared shared = new Shared(Nd4j.rand(type, 3, 4));

        MergeSnapshot snapshot = MergeSnapshot.take(false, layer.flat, baseLength, List.of("shared"), shared);

        assertThat(snapshot.matches(false, layer.flat, baseLength, shared)).isTrue();
        assertThat(snapshot.matches(true, layer.flat, baseLength, shared)).as("base only").isFalse();
        for (long position : new long[] {0, baseLength - 1, baseLength, length - 1}) {
            double old = layer.flat.getDouble(0, position);
            // exact comparisons see a change of one unit in the last place; the large route's checksum of the
            // frozen range (a sum in the layer's precision) sees a change that moves the sum
            boolean exact = length == SMALL || position >= baseLength;
            double changed = !exact ? old + 1.0 : type == DataType.FLOAT ? Math.nextUp((float) old) : Math.nextUp(old);
            layer.flat.putScalar(0, position, changed);
            assertThat(snapshot.matches(false, layer.flat, baseLength, shared)).as("changed at %d", position).isFalse();
            layer.flat.putScalar(0, position, old);
            assertThat(snapshot.matches(false, layer.flat, baseLength, shared)).as("restored at %d", position).isTrue();
        }
        shared.value.putScalar(1, 2, shared.value.getDouble(1, 2) + 1e-3);
        assertThat(snapshot.matches(false, layer.flat, baseLength, shared)).as("shared parameter changed").isFalse();
        assertThat(layer.network.getDouble(0, 0)).as("values outside the layer untouched").isEqualTo(layer.before);
    }

    @ParameterizedTest
    @CsvSource({"FLOAT", "DOUBLE"})
    void aNanInTheFrozenWeightsMatchesItselfOnTheHeapRoute(DataType type) {
        Layer layer = new Layer(type, SMALL);
        layer.flat.putScalar(0, 5, Double.NaN);
        Shared none = new Shared(Nd4j.zeros(type, 1));

        MergeSnapshot snapshot = MergeSnapshot.take(false, layer.flat, SMALL - 40, List.of(), none);

        assertThat(snapshot.matches(false, layer.flat, SMALL - 40, none)).isTrue();
    }

    /** A layer's parameter view {@code [1, length]} at offset 7 of a network vector. */
    private static final class Layer {
        final INDArray network;
        final INDArray flat;
        final double before;

        Layer(DataType type, long length) {
            Nd4j.getRandom().setSeed(length);
            network = Nd4j.rand(type, 1, length + 20);
            flat = network.get(NDArrayIndex.point(0), NDArrayIndex.interval(7, 7 + length)).reshape(1, length);
            before = network.getDouble(0, 0);
        }
    }

    private record Shared(INDArray value) implements AdapterParameters {
        @Override
        public INDArray get(String key) {
            return Map.of("shared", value).get(key);
        }

        @Override
        public boolean holds(String key) {
            return false;
        }

        @Override
        public DataType dataType() {
            return value.dataType();
        }

        @Override
        public String layerName() {
            return "layer";
        }

        @Override
        public <T> T derived(String key, Function<List<GroupMember>, T> compute) {
            throw new UnsupportedOperationException();
        }
    }
}
