package org.peft4j.bench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.peft4j.AdapterRegistry;
import org.peft4j.Peft;
import org.peft4j.PeftModel;
import org.peft4j.bench.data.LabeledImages;
import org.peft4j.bench.model.Backbone;
import org.peft4j.bench.model.Backbones;
import org.peft4j.bench.model.Contender;
import org.peft4j.bench.model.ContenderFactory;
import org.peft4j.bench.model.Lineup;
import org.peft4j.bench.model.ModelFileBackbone;
import org.peft4j.bench.model.Optimiser;
import org.peft4j.bench.report.ReportWriter;
import org.peft4j.bench.run.Experiment;
import org.peft4j.bench.run.ResultsFolder;
import org.peft4j.bench.run.RunExecutor;
import org.peft4j.bench.run.RunResult;
import org.peft4j.bench.train.Augmentation;
import org.peft4j.io.AtomicFiles;

/**
 * What {@code finetune} does: checks every option before training, trains one run of the comparison machinery
 * ({@link RunExecutor}) with the held-out validation images in the place of the test set (the adapter kept is the
 * last epoch's), then writes the adapter, the merged model and the reports.
 */
final class FinetuneJob {

    static final String ADAPTER = "adapter.safetensors";
    static final String MERGED = "merged.zip";
    static final String BASE = "base.zip";

    private FinetuneJob() {
    }

    static void run(FinetuneCommand options, ProgressDisplay progress, PrintStream out) throws IOException {
        requireEmpty(options.out, options.overwrite);
        AdapterRegistry registry = AdapterRegistry.fromClasspath();
        Contender contender = contender(options, registry);
        Backbone backbone = backbone(options, registry, contender, progress);
        progress.note("model: " + backbone.describe());
        UserData data = UserData.read(options.data, "train", backbone.input().channels(), backbone.input().size());
        checkClasses(options.data, data.images());
        checkNewOutput(options.newOutput, data.images());
        // a backbone name is built with the data's classes (a model file keeps its own output layer until the new one)
        Model base = backbone.create(data.images().classes(), options.seed);
        HeldOutSplit split = HeldOutSplit.of(data.images(), options.validationSplit, options.seed);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("data", options.data.toString());
        settings.put("validation split", options.validationSplit + " (test columns: the held-out validation images)");
        settings.put("seed", String.valueOf(options.seed));
        Experiment experiment = new Experiment("finetune", backbone, () -> base, split.train(), Optional.empty(),
                split.validation(), List.of(contender), options.epochs, options.batch,
                Optimiser.adam(options.learningRate), Augmentation.NONE, List.of(options.seed), settings);
        RunExecutor executor = new RunExecutor(new ContenderFactory(registry));
        executor.check(experiment, base, contender);
        AtomicReference<Model> trained = new AtomicReference<>();
        RunResult result = executor.run(experiment, base, contender, options.seed, "", progress, trained::set);
        if (!result.done()) {
            throw new IllegalStateException("training " + result.status() + ": " + result.skipReason()
                    + "; nothing was written");
        }
        write(options, backbone, base, experiment, result, Peft.wrap(trained.get()), out);
    }

    private static void write(FinetuneCommand options, Backbone backbone, Model base, Experiment experiment,
            RunResult result, PeftModel<Model> tuned, PrintStream out) throws IOException {
        ResultsFolder folder = ResultsFolder.at(options.out);
        folder.writeRun(result);
        ReportWriter.Written report = ReportWriter.write(folder, experiment, List.of(result));
        tuned.saveAdapter(options.out.resolve(ADAPTER));
        AtomicFiles.writeModel(tuned.mergeAndUnload(), options.out.resolve(MERGED), false);
        if (!(backbone instanceof ModelFileBackbone)) {
            AtomicFiles.writeModel(base, options.out.resolve(BASE), false);
        }
        out.printf("%s on %s: validation accuracy %.4f, macro AUC %.4f after %d epochs; %d trainable of %d parameters%n",
                tuned.method(), String.join(", ", tuned.adaptedLayers()), result.selected().accuracy(),
                result.selected().macroAuc(), options.epochs, result.trainable(), result.total());
        out.println("wrote " + options.out.resolve(ADAPTER) + ", " + options.out.resolve(MERGED) + ", "
                + report.summary() + (report.plotError().isEmpty() ? "" : "; " + report.plotError()));
    }

    private static void requireEmpty(Path out, boolean overwrite) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file, not a folder");
        }
        if (Files.isDirectory(out) && !overwrite) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + out + " is not empty; give --overwrite to write into it");
                }
            }
        }
    }

    private static Contender contender(FinetuneCommand options, AdapterRegistry registry) {
        if (options.methods.size() > 1) {
            return FinetuneMethods.combined(options, registry);
        }
        String method = options.methods.get(0);
        if (options.targets != null && options.methodTargets.containsKey(method)) {
            throw new IllegalArgumentException("give the targets of '" + method + "' once: --targets or --method-targets");
        }
        Map<String, String> targets = options.targets == null ? options.methodTargets : Map.of(method, options.targets);
        Map<String, String> config = MethodConfigs.forMethod(method, options.methodConfig);
        Contender contender = Lineup.resolve(List.of(method), registry, Map.of(),
                config.isEmpty() ? Map.of() : Map.of(method, config), targets).get(0);
        FinetuneMethods.requireAdapter(contender, registry);
        // the adapter file must load onto the base: no merges during training
        return new Contender(contender.name(), contender.kind(), false, contender.config(), contender.targets());
    }

    private static Backbone backbone(FinetuneCommand options, AdapterRegistry registry, Contender contender,
            ProgressDisplay progress) throws IOException {
        Path file = Path.of(options.model);
        if (!Files.exists(file) && Backbones.NAMES.contains(options.model)) {
            options.input.requireOnlySize(options.model);
            int size = options.input.imageSize == null ? 224 : options.input.imageSize;
            return Backbones.byName(options.model, size, Optional.empty());
        }
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("--model " + options.model + " is neither a file nor a backbone name "
                    + Backbones.NAMES);
        }
        Model model = NetworkFiles.restore(file, "--model");
        ModelInput input = options.input.of(model);
        progress.note("input: " + input.source());
        return new ModelFileBackbone(file, model, input.spec(), registry.get(contender.methods().get(0).name()));
    }

    private static void checkClasses(Path dataPath, LabeledImages data) {
        if (data.classes() < 2) {
            throw new IllegalArgumentException("--data " + dataPath + " has " + data.classes() + " class "
                    + data.classNames() + ": fine-tuning a classifier needs at least 2");
        }
    }

    private static void checkNewOutput(String newOutput, LabeledImages data) {
        if (newOutput.equals("auto")) {
            return;
        }
        try {
            int classes = Integer.parseInt(newOutput);
            if (classes != data.classes()) {
                throw new IllegalArgumentException("--new-output " + classes + " but --data has " + data.classes()
                        + " classes " + data.classNames());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--new-output must be auto or a class count, got '" + newOutput + "'");
        }
    }
}
