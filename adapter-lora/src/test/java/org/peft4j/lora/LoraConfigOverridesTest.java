package org.peft4j.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** LoRA's rank and alpha overrides (rank and alpha patterns) change that setting alone. */
class LoraConfigOverridesTest {

    private static final LoraConfig CONFIG = new LoraConfig(8, 16, 0.1, LoraInit.GAUSSIAN);

    @Test
    void withRankAndWithAlphaKeepEveryOtherSetting() {
        assertThat(CONFIG.withRank(4)).contains(new LoraConfig(4, 16, 0.1, LoraInit.GAUSSIAN));
        assertThat(CONFIG.withAlpha(2.5)).contains(new LoraConfig(8, 2.5, 0.1, LoraInit.GAUSSIAN));
    }

    @Test
    void invalidOverridesAreRefusedByTheRecord() {
        assertThatThrownBy(() -> CONFIG.withRank(0)).hasMessageContaining("LoRA rank must be >= 1, got 0");
        assertThatThrownBy(() -> CONFIG.withAlpha(-1)).hasMessageContaining("LoRA alpha");
    }
}
