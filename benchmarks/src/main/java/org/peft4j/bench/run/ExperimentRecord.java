package org.peft4j.bench.run;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.peft4j.bench.model.Contender;

/**
 * What {@code experiment.json} records about a comparison.
 *
 * @param protocol the protocol name
 * @param settings every setting of the experiment, as text, sorted by name
 * @param methods  the methods with their options, in report order
 * @param seeds    the run seeds
 */
public record ExperimentRecord(String protocol, Map<String, String> settings, List<String> methods, List<Long> seeds) {

    public ExperimentRecord {
        settings = Collections.unmodifiableSortedMap(new TreeMap<>(settings == null ? Map.of() : settings));
        methods = methods == null ? List.of() : List.copyOf(methods);
        seeds = seeds == null ? List.of() : List.copyOf(seeds);
    }

    /** The record of {@code experiment}. */
    public static ExperimentRecord of(Experiment experiment) {
        return new ExperimentRecord(experiment.protocol(), experiment.settings(),
                experiment.contenders().stream().map(Contender::describe).toList(), experiment.seeds());
    }
}
