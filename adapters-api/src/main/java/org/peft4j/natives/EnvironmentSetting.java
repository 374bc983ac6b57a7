package org.peft4j.natives;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One environment variable that a native library reads when it is loaded ({@code GLIBC_TUNABLES},
 * {@code OMP_WAIT_POLICY}, {@code OPENBLAS_THREAD_TIMEOUT}), and how its value is described in reports: the
 * library's default when the variable is unset or blank, else the value in the form its owner chose (as set,
 * stripped, or stripped and lowercased).
 */
final class EnvironmentSetting {

    private final String variable;
    private final String unset;
    private final UnaryOperator<String> form;

    /**
     * @param variable the environment variable's name
     * @param unset    the description when the variable is unset or blank (the library's default)
     * @param form     the description of a value that is set
     */
    EnvironmentSetting(String variable, String unset, UnaryOperator<String> form) {
        this.variable = Objects.requireNonNull(variable, "variable");
        this.unset = Objects.requireNonNull(unset, "unset");
        this.form = Objects.requireNonNull(form, "form");
    }

    /** This process's setting: the description of the variable's current value. */
    String current() {
        return describe(System.getenv(variable));
    }

    /** {@code value} (the variable's value, or null) as the setting's description (pure, for tests). */
    String describe(String value) {
        return value == null || value.isBlank() ? unset : form.apply(value);
    }
}
