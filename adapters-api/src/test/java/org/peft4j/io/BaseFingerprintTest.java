package org.peft4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.hash.Hashing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.TestNets;

/** The base fingerprint follows its documented definition, whatever the array's dtype or layout. */
class BaseFingerprintTest {

    private final INDArray w = Nd4j.arange(12).castTo(DataType.FLOAT).subi(5).divi(7).reshape('c', 3, 4);
    private final INDArray b = Nd4j.createFromArray(0.5f, -0.25f, 2f, 1e-7f);

    @Test
    void isTheSha256OfTheKeysAndTheirColumnMajorFloat32LittleEndianValuesInKeyOrder() {
        ByteBuffer expected = ByteBuffer.allocate(2 + 16 + 2 + 48).order(ByteOrder.LITTLE_ENDIAN);
        expected.put("W".getBytes(StandardCharsets.UTF_8)).put((byte) 0);
        for (float value : w.dup('f').data().asFloat()) {
            expected.putFloat(value);
        }
        expected.put("b".getBytes(StandardCharsets.UTF_8)).put((byte) 0);
        for (float value : b.data().asFloat()) {
            expected.putFloat(value);
        }
        assertThat(BaseFingerprint.of(Map.of("W", w, "b", b), List.of("b", "W")))
                .isEqualTo(Hashing.sha256().hashBytes(expected.array()).toString());
    }

    @Test
    void isTheSameInDoubleInEitherLayoutAndForAView() {
        String reference = BaseFingerprint.of(Map.of("W", w), List.of("W"));
        assertThat(BaseFingerprint.of(Map.of("W", w.dup('c')), List.of("W"))).isEqualTo(reference);
        assertThat(BaseFingerprint.of(Map.of("W", w.castTo(DataType.DOUBLE)), List.of("W"))).isEqualTo(reference);
        assertThat(BaseFingerprint.of(Map.of("W", w.dup('f')), List.of("W"))).isEqualTo(reference);
        float[] padded = new float[17];
        System.arraycopy(w.dup('f').data().asFloat(), 0, padded, 5, 12);
        INDArray flat = Nd4j.createFromArray(padded);
        INDArray view = Nd4j.create(flat.data(), new long[] {3, 4}, new long[] {1, 3}, 5, 'f');
        assertThat(view.offset()).isEqualTo(5);
        assertThat(BaseFingerprint.of(Map.of("W", view), List.of("W"))).isEqualTo(reference);
        assertThat(BaseFingerprint.of(Map.of("W", view.castTo(DataType.DOUBLE)), List.of("W"))).isEqualTo(reference);
    }

    @Test
    void readsTheViewsOfADl4jParameterTable() {
        Map<String, INDArray> params = TestNets.mlp().getLayer(1).paramTable();
        Map<String, INDArray> copies = Map.of("W", params.get("W").dup('c'), "b", params.get("b").dup('c'));
        assertThat(params.get("W").offset()).isPositive();
        assertThat(BaseFingerprint.of(params, List.of("W", "b"))).isEqualTo(BaseFingerprint.of(copies, List.of("W", "b")));
    }

    @Test
    void changesWithAnyWeightAndNamesAMissingKey() {
        String reference = BaseFingerprint.of(Map.of("W", w), List.of("W"));
        INDArray changed = w.dup();
        changed.putScalar(2, 3, changed.getFloat(2, 3) + 1e-6f);
        assertThat(BaseFingerprint.of(Map.of("W", changed), List.of("W"))).isNotEqualTo(reference);
        assertThatThrownBy(() -> BaseFingerprint.of(Map.of("W", w), List.of("gamma")))
                .hasMessageContaining("'gamma'");
    }
}
