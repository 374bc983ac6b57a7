package org.peft4j.bench.volumetric;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.peft4j.LayerSelector;
import org.peft4j.MergeEveryEpochs;
import org.peft4j.ParameterReport;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.backbones.Cnn3dSmall;
import org.peft4j.io.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Fine-tunes {@code cnn3d-small} with {@code colora3d} on volumes: pretrains the backbone on the
 * first half of the classes (the source task), adapts every {@code Convolution3D} with CoLoRA plus
 * a new head for the other half (the target task), trains with a merge after every epoch (the
 * paper's schedule), then merges and unloads to a plain DL4J network and saves it with the
 * adapter file and a summary (JSON and markdown).
 *
 * <p>Data: a MedMNIST 3D file ({@code --data organmnist3d.npz}) or, by default, generated volumes
 * ({@link SyntheticVolumes}, 6 classes).
 */
@Command(name = "colora3d-example", mixinStandardHelpOptions = true,
        description = "Fine-tune a small 3D CNN with colora3d on MedMNIST 3D or generated volumes.")
public final class Colora3dExample implements Callable<Integer> {

    private static final int SYNTHETIC_CLASSES = SyntheticVolumes.MAX_CLASSES;

    @Option(names = "--data", description = "MedMNIST 3D .npz file (e.g. organmnist3d.npz); default: generated volumes")
    private Path data;

    @Option(names = "--size", defaultValue = "16",
            description = "edge of generated volumes (default ${DEFAULT-VALUE}; MedMNIST 3D is 28)")
    private int size;

    @Option(names = "--volumes", defaultValue = "192",
            description = "generated training volumes; test gets half as many (default ${DEFAULT-VALUE})")
    private int volumes;

    @Option(names = "--limit", description = "use at most this many volumes of each split of --data")
    private Integer limit;

    @Option(names = "--pretrain-epochs", defaultValue = "4", description = "source-task epochs (default ${DEFAULT-VALUE})")
    private int pretrainEpochs;

    @Option(names = "--epochs", defaultValue = "3", description = "colora3d epochs (default ${DEFAULT-VALUE})")
    private int epochs;

    @Option(names = "--batch", defaultValue = "8", description = "batch size (default ${DEFAULT-VALUE})")
    private int batch;

    @Option(names = "--lr", defaultValue = "3e-3", description = "Adam learning rate (default ${DEFAULT-VALUE})")
    private double learningRate;

    @Option(names = "--seed", defaultValue = "7", description = "seed (default ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--out", defaultValue = "results/colora3d-example", description = "output folder (default ${DEFAULT-VALUE})")
    private Path out;

    /** What one epoch of colora3d training gave. */
    public record Epoch(int epoch, double targetAccuracy, double seconds) {
    }

    /** The run's results, written as {@code summary.json}. */
    public record Summary(String data, int[] volumeShape, int sourceClasses, int targetClasses, int trainVolumes,
            int testVolumes, double sourceAccuracy, long trainableParameters, long totalParameters,
            long parametersAfterMerge, List<Epoch> epochs, int merges, double mergedMaxAbsDifference, String mergedModel,
            String adapterFile, RunInfo run) {
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Colora3dExample()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws Exception {
        RunInfo run = RunInfo.current("example run");
        Tasks tasks = data == null ? Tasks.synthetic(size, volumes, SYNTHETIC_CLASSES, seed) : Tasks.fromFile(data, limit);
        System.out.println("data: " + tasks.description());
        int[] shape = tasks.sourceTrain().shape();

        MultiLayerNetwork pretrained = Cnn3dSmall.create(1, shape[0], tasks.sourceClasses(), seed);
        for (int e = 0; e < pretrainEpochs; e++) {
            pretrained.fit(VolumeBatches.shuffled(tasks.sourceTrain(), batch, tasks.sourceClasses(), seed));
        }
        double sourceAccuracy = accuracy(pretrained, tasks.sourceTest(), tasks.sourceClasses());
        System.out.printf(Locale.ROOT, "pretrained cnn3d-small on %d source classes: test accuracy %.3f%n",
                tasks.sourceClasses(), sourceAccuracy);

        PeftModel<MultiLayerNetwork> model = Peft.apply(pretrained, PeftConfig.builder().method("colora3d")
                .targets(LayerSelector.byType(Convolution3D.class)).trainable(LayerSelector.names("fc1"))
                .newOutput(tasks.targetClasses()).updater(new Adam(learningRate)).build());
        ParameterReport report = model.parameterReport();
        System.out.println(report.table());
        MergeEveryEpochs merges = new MergeEveryEpochs(1);
        model.network().addListeners(merges);
        List<Epoch> history = new ArrayList<>();
        VolumeBatches train = VolumeBatches.shuffled(tasks.targetTrain(), batch, tasks.targetClasses(), seed + 1);
        for (int e = 1; e <= epochs; e++) {
            long start = System.nanoTime();
            model.network().fit(train);
            double seconds = (System.nanoTime() - start) / 1e9;
            double accuracy = accuracy(model.network(), tasks.targetTest(), tasks.targetClasses());
            history.add(new Epoch(e, accuracy, seconds));
            System.out.printf(Locale.ROOT, "colora3d epoch %d: target test accuracy %.3f (%.1f s, %d merges)%n", e,
                    accuracy, seconds, merges.merges());
        }

        MultiLayerNetwork merged = model.mergeAndUnload();
        double difference = maxAbsDifference(model.network(), merged, tasks.targetTest(), tasks.targetClasses());
        Path modelFile = out.resolve("cnn3d-small-colora3d-merged.zip");
        Path adapterFile = out.resolve("colora3d-adapter.safetensors");
        AtomicFiles.writeModel(merged, modelFile, false);
        model.saveAdapter(adapterFile);
        Summary summary = new Summary(tasks.description(), shape, tasks.sourceClasses(), tasks.targetClasses(),
                tasks.targetTrain().size(), tasks.targetTest().size(), sourceAccuracy, report.trainable(),
                report.total(), report.totalAfterMerge(), history, merges.merges(), difference, modelFile.toString(),
                adapterFile.toString(), run);
        write(summary);
        System.out.printf(Locale.ROOT, "merged plain network: max |output difference| %.2e; saved %s, %s, %s%n",
                difference, modelFile, adapterFile, out.resolve("summary.json"));
        return 0;
    }

    private void write(Summary summary) throws java.io.IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.writeString(out.resolve("summary.json"), json.writeValueAsString(summary));
        StringBuilder md = new StringBuilder("# colora3d example\n\n");
        md.append("Data: ").append(summary.data()).append("  \n");
        md.append(String.format(Locale.ROOT, "Source task (%d classes) accuracy after pretraining: %.3f  %n",
                summary.sourceClasses(), summary.sourceAccuracy()));
        md.append(String.format(Locale.ROOT, "Trainable parameters: %,d of %,d (%,d after merging)%n%n",
                summary.trainableParameters(), summary.totalParameters(), summary.parametersAfterMerge()));
        md.append("| epoch | target test accuracy | seconds |\n|---:|---:|---:|\n");
        for (Epoch e : summary.epochs()) {
            md.append(String.format(Locale.ROOT, "| %d | %.3f | %.1f |%n", e.epoch(), e.targetAccuracy(), e.seconds()));
        }
        md.append(String.format(Locale.ROOT, "%nMerged plain network vs adapted: max |output difference| %.2e%n",
                summary.mergedMaxAbsDifference()));
        AtomicFiles.writeString(out.resolve("summary.md"), md.toString());
    }

    static double accuracy(MultiLayerNetwork network, VolumeSplit split, int classes) {
        return network.evaluate(VolumeBatches.inOrder(split, 16, classes)).accuracy();
    }

    private static double maxAbsDifference(MultiLayerNetwork a, MultiLayerNetwork b, VolumeSplit split, int classes) {
        double worst = 0;
        VolumeBatches batches = VolumeBatches.inOrder(split, 16, classes);
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            INDArray difference = a.output(batch.getFeatures()).sub(b.output(batch.getFeatures()));
            worst = Math.max(worst, difference.amaxNumber().doubleValue());
        }
        return worst;
    }
}
