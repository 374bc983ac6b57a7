package org.peft4j.bench.speed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DeConv2DTF;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.io.AtomicFiles;
import org.peft4j.natives.NativeMemory;
import org.peft4j.natives.Natives;
import org.peft4j.natives.ThreadWaiting;
import org.peft4j.ops.Conv2dRoute;
import org.peft4j.ops.ConvPass;
import org.peft4j.ops.LayerRoute;
import org.peft4j.ops.MatMul;
import org.peft4j.spi.SeparableKernel;

/**
 * Times the candidate routes for each part of an adapted convolution's training step on one layer
 * ({@code N x C_in -> C}, {@code S x S}, 3x3, Same, float; default 16 x 128 -> 128, 32 x 32): the measurements
 * behind the choices of the execution core ({@link Conv2dRoute}) and of CoLoRA's gradients (the kernel gradient
 * of one {@code conv2d_bp}, then {@link SeparableKernel}, rather than depthwise convolutions). Medians of
 * {@code repeats} rounds after 3 warm-up rounds, the routes timed in turns ({@link RoundRobin}); prints a
 * markdown table naming the natives and writes it to {@code <out>/routes.md}. Every route writes into arrays
 * allocated once, as the execution core writes into workspace memory: a fresh output per call would time the
 * kernel's zeroing of new pages with the op. The ops' own scratch buffers still come from {@code malloc}: run it
 * under the environment {@code ./peft4j} sets ({@code GLIBC_TUNABLES}, {@code OMP_WAIT_POLICY}, {@code OPENBLAS_THREAD_TIMEOUT},
 * all named in the table's header), else the ops pay page faults a training step does not ({@code conv2d_bp} on a 32 -> 32 layer at
 * 28 x 28, batch 64: 50.0 ms under glibc's defaults against 19.2 ms with the recommended setting, on 2 vCPUs).
 *
 * <p>Flags: {@code --batch N --in-channels C_in (default C) --channels C --size S --repeats R --out DIR
 * --order turns|alone}: {@code turns} (default) runs every route once per round; {@code alone} runs each route's
 * rounds one after another, so that no route pays for pages another one allocated (DL4J's layer step allocates
 * afresh), which is how {@code conv_layers.py} times PyTorch's ops.
 * {@code benchmarks/pytorch/conv_layers.py} times PyTorch's passes of the same layers.
 */
public final class ConvRoutes {

    private static final String DL4J_FORWARD = "DL4J ConvolutionLayer forward (training)";
    private static final String COLORA_STEP = "CoLoRA layer step: forward + backward (peft4j's execution core)";

    private ConvRoutes() {
    }

    public static void main(String[] args) throws IOException {
        Natives.select();
        ToolFlags flags = ToolFlags.parse(Map.of("--batch", "16", "--channels", "128", "--size", "32",
                "--repeats", "9", "--out", "results/speed", "--in-channels", "", "--order", "turns"), args);
        int n = flags.number("--batch");
        int c = flags.number("--channels");
        int cin = flags.get("--in-channels").isEmpty() ? c : flags.number("--in-channels");
        int s = flags.number("--size");
        int repeats = flags.number("--repeats");
        String order = flags.get("--order");
        if (!order.equals("turns") && !order.equals("alone")) {
            throw new IllegalArgumentException("--order " + order + ": expected turns (every round runs each route once) "
                    + "or alone (each route's rounds one after another)");
        }
        String table = measure(n, cin, c, s, repeats, order.equals("alone"));
        System.out.println(table);
        AtomicFiles.writeString(Path.of(flags.get("--out")).resolve("routes.md"), table);
    }

    static String measure(int n, int cin, int c, int s, int repeats, boolean alone) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).list().layer(new ConvolutionLayer.Builder(3, 3).nOut(c)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(s, s, cin)).build());
        net.init();
        net.initGradientsView();
        Layer dl4j = net.getLayer(0);
        MultiLayerNetwork adaptedNet = Peft.apply(net, PeftConfig.builder().method("colora")
                .targets(LayerSelector.byType(ConvolutionLayer.class)).build()).network();
        adaptedNet.initGradientsView();
        Layer adapted = adaptedNet.getLayer(0);
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, cin, s, s);
        INDArray delta = Nd4j.randn(DataType.FLOAT, n, c, s, s);
        INDArray z = Nd4j.createUninitialized(DataType.FLOAT, n, c, s, s);
        INDArray z1 = Nd4j.rand(DataType.FLOAT, n, c, s, s);
        INDArray dx = Nd4j.createUninitialized(DataType.FLOAT, n, cin, s, s);
        INDArray dz1 = Nd4j.createUninitialized(DataType.FLOAT, n, c, s, s);
        INDArray kernelGradient = Nd4j.createUninitialized(DataType.FLOAT, c, cin, 3, 3);
        INDArray biasGradient = Nd4j.createUninitialized(DataType.FLOAT, c);
        INDArray depthwiseGradient = Nd4j.createUninitialized(DataType.FLOAT, 3, 3, c, 1);
        INDArray pointwiseOut = Nd4j.createUninitialized(DataType.FLOAT, (long) n * s * s, c);
        INDArray kernel = dl4j.getParam("W");
        LayerRoute route = new Conv2dRoute((ConvolutionLayer) dl4j.conf().getLayer());
        LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
        INDArray depthwise = Nd4j.randn(DataType.FLOAT, 3, 3, c, 1);
        INDArray pointwise = Nd4j.randn(DataType.FLOAT, cin, c);
        INDArray depthwiseKernel = Nd4j.randn(DataType.FLOAT, c, 3, 3);

        Map<String, Runnable> routes = new LinkedHashMap<>();
        routes.put(DL4J_FORWARD, () -> dl4j.activate(x, true, none));
        routes.put("DL4J ConvolutionLayer step: forward + backward (forward again, weight and input gradients)", () -> {
            dl4j.activate(x, true, none);
            dl4j.backpropGradient(delta, none);
        });
        routes.put("conv2d forward (Conv2dRoute.forward)",
                () -> route.forward(x, kernel, null, z));
        routes.put("input gradient: deconv2d on the kernel as it is (Conv2dRoute.inputGradient)",
                () -> route.inputGradient(x, kernel, delta, dx));
        routes.put("input gradient: deconv2d_tf on a permuted copy of the kernel",
                () -> deconvolution(delta, kernel, dx, n, cin, s));
        routes.put("input + kernel + bias gradients: one conv2d_bp (Conv2dRoute.backward)",
                () -> route.backward(x, kernel, delta, dx, kernelGradient, biasGradient));
        routes.put("CoLoRA gradients from the kernel gradient (SeparableKernel)", () -> {
            INDArray g = kernelGradient;
            SeparableKernel.pointwiseGradient(g, depthwiseKernel);
            SeparableKernel.depthwiseGradient(g, pointwise, new long[] {c, 3, 3});
        });
        routes.put(COLORA_STEP, () -> {
            adapted.activate(x, true, none);
            adapted.backpropGradient(delta, none);
        });
        // LoRA-conv (rank 4): A [4, C_in, 3, 3], B [C, 4]
        INDArray loraA = Nd4j.randn(DataType.FLOAT, 4, cin, 3, 3);
        INDArray loraB = Nd4j.randn(DataType.FLOAT, c, 4);
        routes.put("LoRA-conv gradients through G: one conv2d_bp, then dA = Bᵀ·G and dB = G·Aᵀ", () -> {
            route.backward(x, kernel, delta, dx, kernelGradient, biasGradient);
            INDArray g = kernelGradient.reshape('c', c, 9L * cin);
            MatMul.product(1.0, loraB, true, g, false);
            MatMul.product(1.0, g, false, loraA.reshape('c', 4, 9L * cin), true);
        });
        // the route without G, on the layers where the core offers it (few output positions, many channels)
        if (((Conv2dRoute) route).directPass(x, delta).isPresent()) {
            routes.put("LoRA-conv gradients through the branch: deconv2d for dL/dx, Y = A ⊛ x, dB = δᵀ·Y, dY = δ·B, dA "
                    + "(ConvPass)", () -> {
                        route.inputGradient(x, kernel, delta, dx);
                        ConvPass pass = ((Conv2dRoute) route).directPass(x, delta).orElseThrow();
                        INDArray y = pass.convolveInput(loraA);
                        INDArray rows = pass.deltaNhwc().reshape('c', -1, c);
                        MatMul.product(1.0, rows, true, y.reshape('c', -1, 4), false);
                        INDArray dy = MatMul.product(1.0, rows, false, loraB, false);
                        pass.kernelGradient(loraA, dy.reshape('c', y.shape()));
                        pass.biasGradient();
                    });
        }
        routes.put("rejected for CoLoRA's dKd and dL/dZ1: depthwise_conv2d_bp", () -> Nd4j.exec(
                DynamicCustomOp.builder("depthwise_conv2d_bp").addInputs(z1, depthwise, delta)
                        .addOutputs(dz1, depthwiseGradient)
                        .addIntegerArguments(3, 3, 1, 1, 1, 1, 1, 1, 1, 0).build()));
        routes.put("rejected for CoLoRA's Z1 = Kp ⊛ x: one gemm [N·S·S, C_in] x [C_in, C]", () -> Nd4j.gemm(
                x.permute(0, 2, 3, 1).dup('c').reshape('c', (long) n * s * s, cin), pointwise, pointwiseOut, false,
                false, 1.0, 0.0));
        // an adapter's gradient product on this layer: G [C, 9·C_in] times a factor [9·C_in, 32]
        INDArray flatGradient = Nd4j.randn(DataType.FLOAT, c, 9L * cin);
        INDArray factor = Nd4j.randn(DataType.FLOAT, 9L * cin, 32);
        routes.put("matrix product [C, 9·C_in]·[9·C_in, 32]: libnd4j matmul op (MatMul.product)",
                () -> MatMul.product(flatGradient, factor));
        routes.put("rejected for that product: INDArray.mmul (ND4J's Java BLAS wrapper)",
                () -> flatGradient.mmul(factor));
        double[][] samples = alone ? RoundRobin.eachAlone(List.copyOf(routes.values()), 3, repeats)
                : RoundRobin.time(List.copyOf(routes.values()), 3, repeats);
        Map<String, Double> ms = new LinkedHashMap<>();
        int i = 0;
        for (String r : routes.keySet()) {
            ms.put(r, SpeedReport.Timing.of(samples[i++]).medianMs());
        }
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "# Convolution routes: %d x %d -> %d channels, %d x %d, 3x3 Same, float (median of %d rounds, %s)%n%n"
                        + "CPU %s, natives %s, %d ND4J threads, native memory %s, OpenMP wait policy %s, OpenBLAS thread timeout %s, command `java -cp benchmarks/target/peft4j.jar "
                        + "org.peft4j.bench.speed.ConvRoutes --batch %d --in-channels %d --channels %d --size %d --repeats %d --order %s`"
                        + "%n%n| route | ms | / DL4J forward |%n|---|---:|---:|%n", n, cin, c, s, s, repeats,
                alone ? "each route alone" : "routes in turns",
                Natives.cpuModel(), Natives.loaded(), Nd4j.getEnvironment().maxThreads(), NativeMemory.setting(),
                ThreadWaiting.setting(), ThreadWaiting.blasSetting(), n, cin, c, s, repeats, alone ? "alone" : "turns"));
        double forward = ms.get(DL4J_FORWARD);
        ms.forEach((r, t) -> md.append(String.format(Locale.ROOT, "| %s | %.1f | %.2f |%n", r, t, t / forward)));
        return md.toString();
    }

    private static void deconvolution(INDArray delta, INDArray kernel, INDArray dx, int n, int cin, int s) {
        DeConv2DConfig config = DeConv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).dH(1).dW(1)
                .isSameMode(true).dataFormat(DeConv2DConfig.NCHW).build();
        Nd4j.exec(new DeConv2DTF(new INDArray[] {Nd4j.createFromArray(n, cin, s, s), kernel.permute(2, 3, 1, 0).dup('c'),
                delta}, new INDArray[] {dx}, config));
    }
}
