package org.peft4j.bench.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --method-config METHOD=KEY=VALUE[,KEY=VALUE]} syntax every command shares: e.g.
 * {@code lora-conv=rank=4,alpha=4} becomes {@code {lora-conv: {rank: 4, alpha: 4}}}. Values stay
 * text; the method's configuration record parses them.
 */
final class MethodConfigs {

    private MethodConfigs() {
    }

    /** Every {@code METHOD=KEY=VALUE[,KEY=VALUE]} text by method, in order; a method may be given twice. */
    static Map<String, Map<String, String>> parse(List<String> texts) {
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        for (String text : texts) {
            int eq = text.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--method-config '" + text + "' should look like METHOD=KEY=VALUE[,KEY=VALUE]");
            }
            Map<String, String> settings = configs.computeIfAbsent(text.substring(0, eq), k -> new LinkedHashMap<>());
            for (String pair : text.substring(eq + 1).split(",")) {
                int split = pair.indexOf('=');
                if (split < 1) {
                    throw new IllegalArgumentException("--method-config '" + text + "': '" + pair + "' is not KEY=VALUE");
                }
                settings.put(pair.substring(0, split).trim(), pair.substring(split + 1).trim());
            }
        }
        return configs;
    }

    /**
     * The settings of the one method a command uses. Each text is {@code METHOD=KEY=VALUE[,...]}; a
     * text that does not start with {@code method=} and whose first item is a {@code KEY=VALUE} pair (no method,
     * the old {@code params} form) is taken as {@code method}'s. Settings named for another method are an error.
     */
    static Map<String, String> forMethod(String method, List<String> texts) {
        List<String> qualified = texts.stream().map(t -> !t.startsWith(method + "=") && isUnqualified(t) ? method + "=" + t : t).toList();
        Map<String, Map<String, String>> configs = parse(qualified);
        for (String name : configs.keySet()) {
            if (!name.equals(method)) {
                throw new IllegalArgumentException("--method-config names '" + name + "' but the method is '"
                        + method + "'");
            }
        }
        return configs.getOrDefault(method, Map.of());
    }

    /** True for {@code rank=4[,...]}: the first '=' is followed by no second one before the next ','. */
    private static boolean isUnqualified(String text) {
        int eq = text.indexOf('=');
        if (eq < 0) {
            return false;
        }
        int comma = text.indexOf(',', eq);
        String rest = comma < 0 ? text.substring(eq + 1) : text.substring(eq + 1, comma);
        return !rest.contains("=");
    }
}
