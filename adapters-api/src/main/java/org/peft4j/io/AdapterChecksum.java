package org.peft4j.io;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The checksum of a version-2 adapter file, covering its whole content: SHA-256 over
 * <ol>
 *   <li>every {@code __metadata__} entry but {@code sha256} itself, in ascending key order: the key,
 *   then the value;</li>
 *   <li>the number of tensors, then per tensor in file order: its name, its dtype ({@code F32} or
 *   {@code F64}), its rank and each dimension;</li>
 *   <li>the data section: every tensor's little-endian bytes, in file order.</li>
 * </ol>
 * Numbers are 8-byte little-endian; each string is its UTF-8 byte count followed by those bytes, so
 * no two different files give the same sequence.
 */
final class AdapterChecksum {

    /** The {@code __metadata__} key that holds the checksum. */
    static final String KEY = "sha256";

    private AdapterChecksum() {
    }

    /** Hex SHA-256 of {@code metadata} (without {@link #KEY}) and {@code tensors}, as defined above. */
    static String of(Map<String, String> metadata, Map<String, INDArray> tensors) {
        Hasher hasher = Hashing.sha256().newHasher();
        Map<String, String> sorted = new TreeMap<>(metadata);
        sorted.remove(KEY);
        sorted.forEach((key, value) -> {
            putString(hasher, key);
            putString(hasher, value);
        });
        hasher.putLong(tensors.size());
        tensors.forEach((name, tensor) -> {
            putString(hasher, name);
            putString(hasher, SafeTensors.dtypeName(tensor.dataType()));
            hasher.putLong(tensor.rank());
            for (long dim : tensor.shape()) {
                hasher.putLong(dim);
            }
        });
        tensors.values().forEach(tensor -> hasher.putBytes(SafeTensors.bytesOf(tensor)));
        return hasher.hash().toString();
    }

    private static void putString(Hasher hasher, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        hasher.putLong(bytes.length).putBytes(bytes);
    }
}
