package org.peft4j.bench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Model;
import org.peft4j.AdapterRegistry;
import org.peft4j.bench.model.Backbone;
import org.peft4j.bench.model.Backbones;
import org.peft4j.bench.model.Contender;
import org.peft4j.bench.model.ContenderFactory;
import org.peft4j.bench.model.Lineup;
import org.peft4j.bench.model.Optimiser;
import org.peft4j.bench.model.UnavailableContenderException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code peft4j params}: the parameter report of a backbone with one method. */
@Command(name = "params", mixinStandardHelpOptions = true,
        description = {"Prints trainable, frozen and total parameters per layer of a backbone prepared for one method "
                + "(new head, frozen backbone, adapters on the target layers), and the total after merging.",
            "Example: peft4j params --backbone vgg16 --image-size 224 --method colora --targets 'block[2-5]_conv\\d'"})
final class ParamsCommand implements Callable<Integer> {

    @Option(names = "--backbone", defaultValue = "vgg-mini", description = "vgg16, resnet50 or vgg-mini (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--image-size", defaultValue = "224", description = "vgg16 and resnet50 input size (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--classes", description = "Output classes (default: 4 for vgg16 and resnet50, 5 for vgg-mini).")
    Integer classes;

    @Option(names = "--method", required = true, description = "head-only, full, or an adapter method name.")
    String method;

    @Option(names = "--targets", paramLabel = "REGEX", description = "Layers the adapter targets, as a name regex "
            + "(default: the backbone's convolutions; vgg16: blocks 2-5).")
    String targets;

    @Option(names = "--method-config", paramLabel = "METHOD=K=V[,K=V]", description = "Adapter settings, as for "
            + "compare, e.g. lora=rank=4,alpha=4 (the older form without the method, rank=4,alpha=4, is accepted too).")
    List<String> methodConfig = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        AdapterRegistry registry = AdapterRegistry.fromClasspath();
        Backbone chosen = Backbones.byName(backbone, imageSize, Optional.empty());
        int outputs = classes != null ? classes : backbone.equals("vgg-mini") ? 5 : 4;
        Map<String, String> settings = MethodConfigs.forMethod(method, methodConfig);
        Map<String, Map<String, String>> configs = settings.isEmpty() ? Map.of() : Map.of(method, settings);
        Contender contender = Lineup.resolve(List.of(method), registry, Map.of(), configs,
                targets == null ? Map.of() : Map.of(method, targets)).get(0);
        Model base = chosen.create(outputs, 0);
        System.out.println(chosen.describe() + ", " + outputs + " classes, method " + contender.describe());
        try {
            ContenderFactory.Prepared prepared = new ContenderFactory(registry)
                    .build(contender, base, chosen, outputs, 0, Optimiser.adam(1e-3));
            if (!prepared.config().isEmpty()) {
                System.out.println("adapter settings: " + prepared.config());
            }
            System.out.print(prepared.network().parameters().table());
            return 0;
        } catch (UnavailableContenderException e) {
            System.err.println(e.getMessage());
            return 3;
        }
    }
}
