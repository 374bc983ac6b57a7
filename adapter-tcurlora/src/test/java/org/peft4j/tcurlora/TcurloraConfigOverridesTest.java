package org.peft4j.tcurlora;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** tCURLoRA has a rank (kept mode and fallback) and no alpha. */
class TcurloraConfigOverridesTest {

    @Test
    void withRankKeepsModeAndFallbackAndThereIsNoAlpha() {
        TcurloraConfig config = new TcurloraConfig(8, TcurloraConfig.Mode.TAPS, TcurloraConfig.Fallback.MATRIX);
        assertThat(config.withRank(3))
                .contains(new TcurloraConfig(3, TcurloraConfig.Mode.TAPS, TcurloraConfig.Fallback.MATRIX));
        assertThat(config.withAlpha(2)).isEmpty();
    }
}
