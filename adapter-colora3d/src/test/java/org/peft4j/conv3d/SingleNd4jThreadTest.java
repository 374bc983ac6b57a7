package org.peft4j.conv3d;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

class SingleNd4jThreadTest {

    @Test
    void nestedScopesRunOnOneThreadAndTheOutermostRestoresTheLimits() {
        Environment environment = Nd4j.getEnvironment();
        int master = environment.maxMasterThreads();
        try (SingleNd4jThread outer = SingleNd4jThread.enter()) {
            assertThat(environment.maxMasterThreads()).isEqualTo(1);
            try (SingleNd4jThread inner = SingleNd4jThread.enter()) {
                assertThat(environment.maxMasterThreads()).isEqualTo(1);
            }
            assertThat(environment.maxMasterThreads()).as("still inside the outer scope").isEqualTo(1);
        }
        assertThat(environment.maxMasterThreads()).isEqualTo(master);
    }
}
