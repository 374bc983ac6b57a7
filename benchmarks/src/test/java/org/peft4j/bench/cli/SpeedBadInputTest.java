package org.peft4j.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code speed} refuses method names it does not know, or repeats, before building or measuring anything. */
class SpeedBadInputTest {

    @TempDir
    Path temp;

    @ParameterizedTest(name = "--methods {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "full,lora-cnv | unknown method 'lora-cnv' in --methods; known: full, head-only",
        "full,full     | method 'full' is listed twice in --methods",
        ",full          | unknown method '' in --methods"})
    void badMethodListIsRefusedBeforeAnythingIsMeasured(String methods, String message) {
        CommandOutput speed = CommandOutput.run("speed", "--networks", "vgg-mini", "--warmup", "0", "--iterations", "1",
                "--out", temp.toString(), "--methods", methods);
        assertThat(speed.status()).isEqualTo(1);
        assertThat(speed.err()).contains(message).doesNotContain("Exception");
        assertThat(temp.resolve("speed.json")).doesNotExist();
        assertThat(temp.resolve("speed.md")).doesNotExist();
    }
}
