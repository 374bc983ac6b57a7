package org.peft4j.bench.speed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counting minor page faults: the stat line's format, and a count that follows pages really touched. */
class PageFaultsTest {

    @TempDir
    Path temp;

    @Test
    void readsTheTenthFieldAfterACommandNameWithSpacesAndParentheses() {
        String line = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 123456 0 7 0 15 3 0 0 20 0 40 0";
        assertThat(PageFaults.minor(line)).isEqualTo(123456);
        assertThatThrownBy(() -> PageFaults.minor("4242 no name here")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a /proc/<pid>/stat line");
        assertThatThrownBy(() -> PageFaults.minor("4242 (java) S 1 2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countsAFaultForEveryFreshPageWritten() throws IOException {
        assumeThat(PageFaults.minor()).as("page faults reported (Linux)").isNotEqualTo(PageFaults.NOT_REPORTED);
        int pages = 2048;
        Path file = Files.write(temp.resolve("pages"), new byte[pages * 4096]);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long faults = PageFaults.fewestPerRun(() -> {
                try {
                    // a private mapping copies each page on its first write: one fault per page, each run afresh
                    MappedByteBuffer mapped = channel.map(FileChannel.MapMode.PRIVATE, 0, (long) pages * 4096);
                    for (int page = 0; page < pages; page++) {
                        mapped.put(page * 4096, (byte) 1);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, 2);
            assertThat(faults).isBetween((long) pages, 3L * pages);
            assertThat(PageFaults.fewestPerRun(() -> { }, 3)).isLessThan(pages / 10);
        }
    }
}
