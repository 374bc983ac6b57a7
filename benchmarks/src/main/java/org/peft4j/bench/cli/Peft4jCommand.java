package org.peft4j.bench.cli;

import java.io.IOException;
import org.peft4j.natives.Natives;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code peft4j} command line: benchmarks ({@code demo}, {@code compare}, {@code params}, {@code speed}) and the user's own models ({@code finetune}, {@code inspect}, {@code merge}, {@code predict}, {@code evaluate}). */
@Command(name = "peft4j", mixinStandardHelpOptions = true, versionProvider = Peft4jCommand.Version.class,
        subcommands = {DemoCommand.class, CompareCommand.class, ParamsCommand.class, SpeedCommand.class,
            InspectCommand.class, MergeCommand.class, PredictCommand.class, EvaluateCommand.class,
            FinetuneCommand.class},
        description = {"Parameter-efficient fine-tuning for Deeplearning4j: fine-tuning your own model and data, benchmarks and comparisons.",
            "Start with `peft4j demo` (a few minutes on 2 CPU cores)."})
public final class Peft4jCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line; returns the exit status (0 ok, 1 error, 2 usage or unavailable). */
    public static int execute(String... args) {
        System.setProperty("java.awt.headless", "true");
        Natives.select();
        CommandLine cli = new CommandLine(new Peft4jCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + (e instanceof IllegalArgumentException || e instanceof IOException
                    || e instanceof IllegalStateException ? e.getMessage() : e.toString()));
            if (!(e instanceof IllegalArgumentException || e instanceof IOException) || e.getMessage() == null) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Peft4jCommand.class.getPackage().getImplementationVersion();
            return new String[] {"peft4j " + (version == null ? "(development build)" : version)};
        }
    }
}
