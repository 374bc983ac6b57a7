package org.peft4j.natives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The choice of native build, for the machine facts {@link Natives#decide} is given. */
class NativesTest {

    private static final String AVX2_FLAGS = "fpu sse2 avx avx2 fma";
    private static final Predicate<String> ALL_JARS = resource -> true;
    private static final Predicate<String> NO_ONEDNN_JAR = resource -> !resource.contains("onednn");

    @Test
    void oneDnnOnX86LinuxWithAvx2AndItsJar() {
        Natives.Selection s = Natives.decide(null, null, AVX2_FLAGS, "Linux", "amd64", ALL_JARS);
        assertThat(s.build()).isEqualTo("onednn-avx2");
    }

    @Test
    void genericWithoutAvx2WithoutTheJarOrOffLinux() {
        assertThat(Natives.decide(null, null, "fpu sse2 avx", "Linux", "amd64", ALL_JARS).build()).isEqualTo("generic");
        assertThat(Natives.decide(null, "auto", AVX2_FLAGS, "Linux", "amd64", NO_ONEDNN_JAR).reason())
                .contains("not on the class path");
        assertThat(Natives.decide(null, null, null, "Mac OS X", "aarch64", ALL_JARS).reason()).contains("x86-64 Linux");
    }

    @Test
    void theUsersChoiceWins() {
        assertThat(Natives.decide("-avx2", "onednn-avx2", AVX2_FLAGS, "Linux", "amd64", ALL_JARS).build()).isEqualTo("avx2");
        assertThat(Natives.decide("", "onednn-avx2", AVX2_FLAGS, "Linux", "amd64", ALL_JARS).build()).isEqualTo("generic");
        assertThat(Natives.decide(null, "generic", AVX2_FLAGS, "Linux", "amd64", ALL_JARS).build()).isEqualTo("generic");
        assertThat(Natives.decide(null, "ONEDNN-AVX2", "", "Linux", "amd64", ALL_JARS).build()).isEqualTo("onednn-avx2");
        assertThatThrownBy(() -> Natives.decide(null, "onednn-avx2", AVX2_FLAGS, "Linux", "amd64", NO_ONEDNN_JAR))
                .hasMessageContaining("nd4j-native-*-linux-x86_64-onednn-avx2.jar");
        assertThatThrownBy(() -> Natives.decide(null, "fast", AVX2_FLAGS, "Linux", "amd64", ALL_JARS))
                .hasMessageContaining("'fast'").hasMessageContaining("generic");
    }

    /** JavaCPP loads the chosen build, also the generic one when the oneDNN jar is on the class path too. */
    @Test
    void theTestJvmRunsTheBuildItChose() {
        Natives.Selection s = Natives.select();
        org.nd4j.linalg.factory.Nd4j.create(1);
        assertThat(Natives.loaded()).isEqualTo(s.build());
        assertThat(System.getProperty(Natives.EXTENSION_PROPERTY)).isEqualTo(s.build().equals("generic") ? ""
                : "-" + s.build());
        assertThat(Natives.cpuModel()).isNotBlank();
    }
}
