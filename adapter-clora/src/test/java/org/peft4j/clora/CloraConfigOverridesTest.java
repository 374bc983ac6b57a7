package org.peft4j.clora;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** CLoRA's rank and alpha overrides keep the pool size and the SADE weight. */
class CloraConfigOverridesTest {

    @Test
    void withRankAndWithAlphaKeepPoolAndLambda() {
        CloraConfig config = new CloraConfig(8, 4, 16, 0.3);
        assertThat(config.withRank(2)).contains(new CloraConfig(2, 4, 16, 0.3));
        assertThat(config.withAlpha(1)).contains(new CloraConfig(8, 4, 1, 0.3));
    }
}
