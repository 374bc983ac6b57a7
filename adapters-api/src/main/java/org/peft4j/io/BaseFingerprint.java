package org.peft4j.io;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fingerprint of the frozen base weights of one adapted layer: the hex SHA-256 over, for each
 * frozen parameter key in ascending order, the key's UTF-8 bytes and a zero byte, then the
 * parameter's values in column-major (Fortran, DL4J's own) order as little-endian IEEE-754
 * float32. The fingerprint depends on the values alone: a copy in another data type (float or
 * double) or memory layout has the same one; any changed weight, e.g. an adapter merged into the
 * weights, gives another one.
 *
 * <p>A float parameter stored column-major (DL4J's dense weights and biases, also as views into the
 * network's flat parameter vector) is hashed straight from ND4J's native buffer, without a copy;
 * others are first copied natively into that layout. No per-element Java work is done, so
 * fingerprinting a VGG16-sized network costs about one pass of SHA-256 over its weights.
 */
public final class BaseFingerprint {

    private BaseFingerprint() {
    }

    /**
     * The fingerprint of parameters {@code keys} of a layer whose parameter table is {@code params}.
     *
     * @throws IllegalArgumentException when a key is not in {@code params}
     */
    public static String of(Map<String, INDArray> params, Collection<String> keys) {
        Hasher hasher = Hashing.sha256().newHasher();
        for (String key : new TreeSet<>(keys)) {
            INDArray param = params.get(key);
            if (param == null) {
                throw new IllegalArgumentException("no parameter '" + key + "' to fingerprint (keys: "
                        + params.keySet() + ")");
            }
            hasher.putBytes(key.getBytes(StandardCharsets.UTF_8)).putByte((byte) 0);
            hasher.putBytes(float32Bytes(key, param));
        }
        return hasher.hash().toString();
    }

    /** {@code param}'s values, column-major, float32 little-endian, as a buffer ready to read. */
    private static ByteBuffer float32Bytes(String key, INDArray param) {
        long bytes = param.length() * Float.BYTES;
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("parameter '" + key + "' " + java.util.Arrays.toString(param.shape())
                    + " is larger than the 2 GiB a fingerprint is taken of in one piece");
        }
        if (bytes == 0) {
            return ByteBuffer.allocate(0);
        }
        boolean asStored = param.dataType() == DataType.FLOAT && isColumnMajor(param);
        INDArray floats = asStored ? param : param.castTo(DataType.FLOAT).dup('f');
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            ByteBuffer littleEndian = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
            littleEndian.asFloatBuffer().put(floats.dup('f').data().asFloat());
            return littleEndian;
        }
        ByteBuffer nativeBytes = floats.data().asNio().duplicate();
        int start = Math.toIntExact(floats.offset() * Float.BYTES);
        nativeBytes.limit(start + (int) bytes).position(start);
        return nativeBytes;
    }

    /** True when {@code array}'s elements lie contiguously in column-major order in its buffer. */
    private static boolean isColumnMajor(INDArray array) {
        long[] shape = array.shape();
        long[] stride = array.stride();
        long expected = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }
}
