package org.peft4j.bench.speed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The page faults this process took that the kernel served from memory (Linux's minor faults, field 10 of
 * {@code /proc/self/stat}). A training step pays one for every 4 KiB page of fresh native memory it touches, so
 * the count of a warm step shows whether the C allocator keeps the memory it frees (see
 * {@code org.peft4j.natives.NativeMemory}): thousands a step where the allocator maps and unmaps large blocks, a
 * handful where it keeps them.
 */
final class PageFaults {

    /** Returned where the system does not report page faults (no {@code /proc/self/stat}, not Linux). */
    static final long NOT_REPORTED = -1;

    private static final Path SELF = Path.of("/proc/self/stat");
    private static final int MINOR_FAULTS_AFTER_NAME = 7;

    private PageFaults() {
    }

    /** This process's minor page faults so far, or {@link #NOT_REPORTED}. */
    static long minor() {
        try {
            return minor(Files.readString(SELF));
        } catch (IOException e) {
            return NOT_REPORTED;
        }
    }

    /**
     * The minor page faults in one {@code /proc/<pid>/stat} line (pure, for tests). The command name, in
     * parentheses, may hold spaces and parentheses itself, so the fields are counted after its last {@code ')'}.
     *
     * @throws IllegalArgumentException if the line is not in that format
     */
    static long minor(String statLine) {
        int nameEnd = statLine.lastIndexOf(')');
        String[] fields = nameEnd < 0 ? new String[0] : statLine.substring(nameEnd + 1).strip().split(" +");
        if (fields.length <= MINOR_FAULTS_AFTER_NAME) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + statLine);
        }
        return Long.parseLong(fields[MINOR_FAULTS_AFTER_NAME]);
    }

    /**
     * The fewest minor page faults one run of {@code task} took, over {@code runs} runs (the fewest, so that a
     * garbage collection or a compilation in one run does not count), or {@link #NOT_REPORTED}.
     */
    static long fewestPerRun(Runnable task, int runs) {
        if (minor() == NOT_REPORTED) {
            return NOT_REPORTED;
        }
        long fewest = Long.MAX_VALUE;
        for (int run = 0; run < runs; run++) {
            long before = minor();
            task.run();
            fewest = Math.min(fewest, minor() - before);
        }
        return fewest;
    }
}
