package org.peft4j.bench.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peft4j.AdapterRegistry;
import org.peft4j.lora.LoraMethod;

class LineupTest {

    private final AdapterRegistry registry = AdapterRegistry.of(new LoraMethod());

    @Test
    void defaultIsBaselinesThenEveryRegisteredMethod() {
        List<Contender> lineup = Lineup.resolve(List.of(), registry, Map.of(), Map.of(), Map.of());
        assertThat(lineup).extracting(Contender::name).containsExactly("head-only", "full", "lora");
        assertThat(lineup.get(2).mergeEveryEpoch()).isFalse();
        assertThat(lineup.get(0).kind()).isEqualTo(Contender.Kind.HEAD_ONLY);
    }

    @Test
    void mergeConfigAndTargetsAreSettablePerMethod() {
        Contender lora = Lineup.resolve(List.of("lora"), registry, Map.of("lora", true), Map.of("lora", Map.of("rank", "2")),
                Map.of("lora", "fc1")).get(0);
        assertThat(lora.mergeEveryEpoch()).isTrue();
        assertThat(lora.config()).containsEntry("rank", "2");
        assertThat(lora.targets()).contains("fc1");
        assertThat(lora.describe()).isEqualTo("lora {rank=2} (merge every epoch) targets /fc1/");
        assertThat(Lineup.MERGED_BY_DEFAULT).contains("colora");
    }

    @Test
    void unknownMethodsAndStrayOptionsFail() {
        assertThatThrownBy(() -> Lineup.resolve(List.of("dora"), registry, Map.of(), Map.of(), Map.of()))
                .hasMessageContaining("unknown method 'dora'; available: head-only, full, lora");
        assertThatThrownBy(() -> Lineup.resolve(List.of("full"), registry, Map.of("lora", true), Map.of(), Map.of()))
                .hasMessageContaining("an option is given for 'lora'");
        assertThatThrownBy(() -> Lineup.resolve(List.of("full", "full"), registry, Map.of(), Map.of(), Map.of()))
                .hasMessageContaining("listed twice");
    }
}
