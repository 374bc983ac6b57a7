package org.peft4j.natives;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** OpenMP's wait policy: how it is described, and that the build and the launcher apply the recommended one. */
class ThreadWaitingTest {

    @Test
    void describesThePolicy() {
        assertThat(ThreadWaiting.describe(null)).isEqualTo("OpenMP default");
        assertThat(ThreadWaiting.describe(" ")).isEqualTo("OpenMP default");
        assertThat(ThreadWaiting.describe("PASSIVE ")).isEqualTo("passive");
        assertThat(ThreadWaiting.describe("active")).isEqualTo("active");
    }

    @Test
    void theTestJvmRunsUnderTheRecommendedPolicy() {
        assertThat(ThreadWaiting.setting()).isEqualTo(ThreadWaiting.RECOMMENDED);
    }

    @Test
    void theCommandLineLauncherSetsTheRecommendedPolicyUnlessTheUserDid() throws IOException {
        String launcher = Files.readString(Path.of("..", "peft4j"));
        assertThat(launcher).contains("OMP_WAIT_POLICY=" + ThreadWaiting.RECOMMENDED, "${OMP_WAIT_POLICY+set}");
    }
}
