package org.peft4j.natives;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** An environment setting's description: the default when unset or blank, else the value in its owner's form. */
class EnvironmentSettingTest {

    private static final String NEVER_SET = "PEFT4J_TEST_VARIABLE_NEVER_SET";

    @Test
    void onlyASetValueTakesTheOwnersFormAndAnyOtherIsTheLibrarysDefault() {
        EnvironmentSetting upper =
                new EnvironmentSetting(NEVER_SET, "library default", v -> v.toUpperCase(Locale.ROOT));

        assertThat(upper.describe(" on ")).isEqualTo(" ON ");
        assertThat(new String[] {null, "", " \t"})
                .allSatisfy(v -> assertThat(upper.describe(v)).isEqualTo("library default"));
        assertThat(upper.current()).isEqualTo("library default");
    }

    @Test
    void theCurrentSettingIsTheProcesssValueOfTheVariable() {
        EnvironmentSetting path = new EnvironmentSetting("PATH", "no path", v -> "set:" + v);

        assertThat(path.current()).isEqualTo("set:" + System.getenv("PATH"));
    }
}
