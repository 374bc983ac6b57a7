package org.peft4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Atomic writes onto awkward targets: existing permissions, symbolic links, leftovers of a killed
 * writer, parents that are files, folders, and very long names.
 */
class AtomicFilesBadInputTest {

    @TempDir
    Path temp;

    @BeforeEach
    void posixOnly() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    }

    @Test
    void aNewFileGetsTheDefaultPermissionsAndAReplacedFileKeepsItsOwn() throws IOException {
        Path reference = Files.createFile(temp.resolve("reference"));
        Path fresh = temp.resolve("fresh.json");
        AtomicFiles.writeString(fresh, "{}");
        assertThat(Files.getPosixFilePermissions(fresh)).isEqualTo(Files.getPosixFilePermissions(reference));

        Path script = temp.resolve("run.sh");
        Files.writeString(script, "old");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        AtomicFiles.writeString(script, "new");
        assertThat(Files.readString(script)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script))).isEqualTo("rwxr-x---");
    }

    @Test
    void writingThroughASymbolicLinkReplacesItsTargetAndKeepsTheLink() throws IOException {
        Path real = Files.writeString(temp.resolve("real.json"), "old");
        Path link = Files.createSymbolicLink(temp.resolve("link.json"), Path.of("real.json"));
        Path linkToLink = Files.createSymbolicLink(temp.resolve("link2.json"), link);
        AtomicFiles.writeString(linkToLink, "new");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.isSymbolicLink(linkToLink)).isTrue();
        assertThat(Files.readString(real)).isEqualTo("new");

        Path dangling = Files.createSymbolicLink(temp.resolve("dangling.json"), temp.resolve("later.json"));
        AtomicFiles.writeString(dangling, "created");
        assertThat(Files.isSymbolicLink(dangling)).isTrue();
        assertThat(Files.readString(temp.resolve("later.json"))).isEqualTo("created");
    }

    @Test
    void temporaryFilesOfADeadWriterAreRemovedByTheNextWrite() throws IOException, InterruptedException {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        long deadPid = finished.pid();
        Path stale = Files.writeString(temp.resolve(".adapter.safetensors~" + deadPid + "-0badf00d.tmp"), "partial");
        Path live = Files.writeString(temp.resolve(".adapter.safetensors~" + ProcessHandle.current().pid()
                + "-12345678.tmp"), "being written");
        Path otherTarget = Files.writeString(temp.resolve(".other.json~" + deadPid + "-0badf00d.tmp"), "partial");
        Path target = temp.resolve("adapter.safetensors");

        AtomicFiles.writeString(target, "whole");
        assertThat(stale).doesNotExist();
        assertThat(live).exists();
        assertThat(otherTarget).exists();
        assertThat(Files.readString(target)).isEqualTo("whole");
    }

    @Test
    void aParentThatIsAFileIsNamed() throws IOException {
        Path file = Files.writeString(temp.resolve("plain"), "x");
        for (Path target : new Path[] {file.resolve("out.json"), file.resolve("sub/out.json")}) {
            assertThatThrownBy(() -> AtomicFiles.writeString(target, "{}")).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cannot write " + target)
                    .hasMessageContaining(file + " is a file, not a folder");
        }
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void aFolderIsNotReplacedByAFile() throws IOException {
        Path folder = Files.createDirectory(temp.resolve("results"));
        assertThatThrownBy(() -> AtomicFiles.writeString(folder, "{}")).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot write " + folder).hasMessageContaining("is a folder");
        assertThat(folder).isDirectory();
    }

    @Test
    void theLongestValidNameWorksAndATooLongOneIsNamed() throws IOException {
        Path longest = temp.resolve("a".repeat(243) + ".safetensors");
        AtomicFiles.writeString(longest, "fits");
        AtomicFiles.writeString(longest, "fits again");
        assertThat(Files.readString(longest)).isEqualTo("fits again");
        try (Stream<Path> files = Files.list(temp)) {
            assertThat(files).containsExactly(longest);
        }

        Path tooLong = temp.resolve("b".repeat(300) + ".json");
        assertThatThrownBy(() -> AtomicFiles.writeString(tooLong, "{}")).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot write " + tooLong).hasMessageContaining("too long");
        try (Stream<Path> files = Files.list(temp)) {
            assertThat(files).containsExactly(longest);
        }
    }
}
