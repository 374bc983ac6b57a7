package org.peft4j.natives;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The native memory settings: how they are described and that the build and the launcher apply the recommended
 * ones.
 */
class NativeMemoryTest {

    @Test
    void describesTheSettingAndRecognisesOneThatKeepsFreedMemory() {
        assertThat(NativeMemory.describe(null)).isEqualTo("glibc defaults");
        assertThat(NativeMemory.describe(" ")).isEqualTo("glibc defaults");
        assertThat(NativeMemory.describe("glibc.malloc.arena_max=2")).isEqualTo("glibc.malloc.arena_max=2");
        assertThat(NativeMemory.keepsFreedMemory(NativeMemory.RECOMMENDED)).isTrue();
        assertThat(NativeMemory.keepsFreedMemory("glibc.malloc.arena_max=2")).isFalse();
        assertThat(NativeMemory.keepsFreedMemory(null)).isFalse();
    }

    @Test
    void theTestJvmRunsUnderTheRecommendedSetting() {
        assertThat(NativeMemory.setting()).isEqualTo(NativeMemory.RECOMMENDED);
        assertThat(NativeMemory.keepsFreedMemory()).isTrue();
    }

    @Test
    void theCommandLineLauncherSetsTheRecommendedSettingUnlessTheUserDid() throws IOException {
        String launcher = Files.readString(Path.of("..", "peft4j"));
        assertThat(launcher).contains("GLIBC_TUNABLES=" + NativeMemory.RECOMMENDED, "${GLIBC_TUNABLES+set}");
    }

    @Test
    void describesJavacppsResidentSizeCheck() {
        assertThat(NativeMemory.physicalCheck(null)).isEqualTo("on");
        assertThat(NativeMemory.physicalCheck("8g")).isEqualTo("on");
        assertThat(NativeMemory.physicalCheck(" 0 ")).isEqualTo("off");
    }

    @Test
    void theTestJvmAndTheLauncherTurnJavacppsResidentSizeCheckOffBeforeTheUsersOptions() throws IOException {
        assertThat(NativeMemory.javacppPhysicalCheck()).isEqualTo("off");
        String launcher = Files.readString(Path.of("..", "peft4j"));
        assertThat(launcher).contains("java " + NativeMemory.JAVACPP_PHYSICAL_CHECK_OFF + " ${PEFT4J_JAVA_OPTS");
    }
}
