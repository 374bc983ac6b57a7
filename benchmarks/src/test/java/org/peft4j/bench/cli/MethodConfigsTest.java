package org.peft4j.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one {@code --method-config} syntax: {@code METHOD=KEY=VALUE[,KEY=VALUE]}, and params' older form. */
class MethodConfigsTest {

    @Test
    void parsesSettingsByMethod() {
        assertThat(MethodConfigs.parse(List.of("lora-conv=rank=4,alpha=4", "lora=rank=2")))
                .isEqualTo(Map.of("lora-conv", Map.of("rank", "4", "alpha", "4"), "lora", Map.of("rank", "2")));
    }

    @Test
    void oneMethodTakesTheQualifiedAndTheOlderForm() {
        assertThat(MethodConfigs.forMethod("lora", List.of("lora=rank=4,alpha=8"))).isEqualTo(Map.of("rank", "4", "alpha", "8"));
        assertThat(MethodConfigs.forMethod("lora", List.of("rank=4,alpha=8"))).isEqualTo(Map.of("rank", "4", "alpha", "8"));
        assertThat(MethodConfigs.forMethod("lora", List.of())).isEmpty();
    }

    @Test
    void malformedOrForeignSettingsAreErrors() {
        assertThatThrownBy(() -> MethodConfigs.forMethod("lora", List.of("lora=rank")))
                .hasMessageContaining("'rank' is not KEY=VALUE");
        assertThatThrownBy(() -> MethodConfigs.forMethod("lora", List.of("colora=rank=4")))
                .hasMessageContaining("names 'colora' but the method is 'lora'");
        assertThatThrownBy(() -> MethodConfigs.parse(List.of("=rank=4"))).hasMessageContaining("METHOD=KEY=VALUE");
    }
}
