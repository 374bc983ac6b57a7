package org.peft4j.bench.speed;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --flag value} pairs of the speed tools run with {@code java -cp} ({@link ConvRoutes},
 * {@link OnednnSteps}): each flag known in advance with its default; an unknown flag, a flag without its value or a
 * number that is not one is refused, naming it.
 */
final class ToolFlags {

    private final Map<String, String> values;

    private ToolFlags(Map<String, String> values) {
        this.values = values;
    }

    /**
     * @param defaults every known flag with its default value
     * @param args     the command line
     */
    static ToolFlags parse(Map<String, String> defaults, String[] args) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("flags come in pairs (--flag value); got " + List.of(args));
        }
        for (int i = 0; i < args.length; i += 2) {
            if (!values.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown flag " + args[i] + "; known: " + values.keySet());
            }
            values.put(args[i], args[i + 1]);
        }
        return new ToolFlags(values);
    }

    String get(String flag) {
        return values.get(flag);
    }

    int number(String flag) {
        try {
            return Integer.parseInt(values.get(flag));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " takes a whole number, got '" + values.get(flag) + "'", e);
        }
    }
}
