package org.peft4j.natives;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** How idle OpenMP and OpenBLAS threads wait: how it is described, and that the build and the launcher apply the recommended settings. */
class ThreadWaitingTest {

    @Test
    void describesThePolicy() {
        assertThat(ThreadWaiting.describe(null)).isEqualTo("OpenMP default");
        assertThat(ThreadWaiting.describe(" ")).isEqualTo("OpenMP default");
        assertThat(ThreadWaiting.describe("PASSIVE ")).isEqualTo("passive");
        assertThat(ThreadWaiting.describe("active")).isEqualTo("active");
        assertThat(ThreadWaiting.describeBlas(null)).isEqualTo("OpenBLAS default");
        assertThat(ThreadWaiting.describeBlas("")).isEqualTo("OpenBLAS default");
        assertThat(ThreadWaiting.describeBlas(" 4")).isEqualTo("4");
    }

    @Test
    void theTestJvmRunsUnderTheRecommendedSettings() {
        assertThat(ThreadWaiting.setting()).isEqualTo(ThreadWaiting.RECOMMENDED);
        assertThat(ThreadWaiting.blasSetting()).isEqualTo(ThreadWaiting.BLAS_RECOMMENDED);
    }

    @Test
    void theCommandLineLauncherSetsTheRecommendedSettingsUnlessTheUserDid() throws IOException {
        String launcher = Files.readString(Path.of("..", "peft4j"));
        assertThat(launcher).contains("OMP_WAIT_POLICY=" + ThreadWaiting.RECOMMENDED, "${OMP_WAIT_POLICY+set}",
                "OPENBLAS_THREAD_TIMEOUT=" + ThreadWaiting.BLAS_RECOMMENDED, "${OPENBLAS_THREAD_TIMEOUT+set}");
    }
}
