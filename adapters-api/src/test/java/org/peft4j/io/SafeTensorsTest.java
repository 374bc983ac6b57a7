package org.peft4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SafeTensorsTest {

    @TempDir
    Path temp;

    @Test
    void roundTripsFloatAndDoubleTensorsOfAnyOrderAndTheMetadata() throws IOException {
        INDArray f = Nd4j.linspace(DataType.FLOAT, 1, 12, 12).reshape('f', 3, 4);
        INDArray d = Nd4j.linspace(DataType.DOUBLE, -1, 1, 5);
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("layer/A", f);
        tensors.put("layer/b", d);
        Path file = temp.resolve("x.safetensors");
        SafeTensors.write(file, Map.of("format", "test"), tensors);

        SafeTensors.Contents read = SafeTensors.read(file);
        assertThat(read.metadata()).containsEntry("format", "test");
        assertThat(read.tensors().keySet()).containsExactly("layer/A", "layer/b");
        assertThat(read.tensors().get("layer/A").dataType()).isEqualTo(DataType.FLOAT);
        assertThat(read.tensors().get("layer/A").shape()).containsExactly(3, 4);
        assertThat(read.tensors().get("layer/A").getFloat(2, 3)).isEqualTo(f.getFloat(2, 3));
        assertThat(read.tensors().get("layer/b").toDoubleVector()).containsExactly(d.toDoubleVector());
    }

    @Test
    void writesTheLayoutOfTheSafetensorsSpecification() throws IOException {
        Path file = temp.resolve("spec.safetensors");
        SafeTensors.write(file, Map.of(), Map.of("w", Nd4j.createFromArray(new float[] {1.5f, -2f})));
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = le.getLong(0);
        assertThat(headerLength % 8).isZero();
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertThat(header).contains("\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}");
        assertThat(le.getFloat(8 + (int) headerLength)).isEqualTo(1.5f);
        assertThat(le.getFloat(12 + (int) headerLength)).isEqualTo(-2f);
        assertThat(bytes.length).isEqualTo(8 + headerLength + 8);
    }

    @Test
    void rejectsBrokenFilesNamingThem() throws IOException {
        assertThatThrownBy(() -> SafeTensors.read(temp.resolve("absent"))).isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining("absent");
        assertThat(failure(new byte[3])).contains("truncated");
        assertThat(failure(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4))).contains("truncated");
        assertThat(failure(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12))).contains("unexpected bytes");
        assertThat(failure(file("{\"w\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2))).contains("unsupported dtype");
        assertThat(failure(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8))).contains("do not hold");
        assertThat(failure(file("[1, 2]", 0))).contains("not a JSON object");
        assertThat(failure(file("{not json", 0))).contains("not valid JSON");
        byte[] huge = new byte[16];
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40);
        assertThat(failure(huge)).contains("header length");
    }

    private byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(h.length).put(h);
        return buffer.array();
    }

    private String failure(byte[] bytes) throws IOException {
        Path file = Files.write(temp.resolve("broken-" + System.nanoTime() + ".safetensors"), bytes);
        try {
            SafeTensors.read(file);
        } catch (SafeTensorsException e) {
            assertThat(e.getMessage()).startsWith(file.toString());
            return e.getMessage();
        }
        throw new AssertionError("no failure for " + file);
    }
}
