package org.peft4j.bench.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code peft4j speed}: the speed protocol (cost of one training step per method), run by
 * {@code org.peft4j.bench.speed.SpeedBenchmark}, looked up by name so this command works in builds with
 * and without it. Its arguments are passed through unchanged.
 */
@Command(name = "speed", mixinStandardHelpOptions = true,
        description = {"The speed protocol: median training-step time, inference time of adapted and merged models "
                + "and parameters per method on vgg-mini and vgg16-64, as ratios to full fine-tuning.",
            "Arguments after 'speed' go to the speed benchmark itself."})
final class SpeedCommand implements Callable<Integer> {

    static final String IMPLEMENTATION = "org.peft4j.bench.speed.SpeedBenchmark";

    @Unmatched
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Class<?> type;
        try {
            type = Class.forName(IMPLEMENTATION);
        } catch (ClassNotFoundException e) {
            System.err.println("the speed benchmark is not available in this build (" + IMPLEMENTATION + " is not on the class path)");
            return 2;
        }
        Method main;
        try {
            main = type.getMethod("main", String[].class);
        } catch (NoSuchMethodException e) {
            System.err.println("the speed benchmark in this build (" + IMPLEMENTATION + ") has no main(String[]) entry");
            return 2;
        }
        try {
            main.invoke(null, (Object) arguments.toArray(String[]::new));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        return 0;
    }
}
