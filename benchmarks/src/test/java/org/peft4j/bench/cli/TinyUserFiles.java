package org.peft4j.bench.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.io.AtomicFiles;

/** A user's own files in miniature: a small image folder and a small DL4J model file. */
final class TinyUserFiles {

    static final int SIZE = 8;
    static final String[] CLASSES = {"circle", "line", "square"};

    private TinyUserFiles() {
    }

    /**
     * {@code classes x perClass} grayscale PNG images of {@code SIZE x SIZE}, one folder per class; each class
     * has its own brightness so a few epochs can learn it.
     */
    static Path imageFolder(Path root, int perClass) throws IOException {
        Random random = new Random(7);
        for (int c = 0; c < CLASSES.length; c++) {
            Path folder = Files.createDirectories(root.resolve(CLASSES[c]));
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        image.getRaster().setSample(x, y, 0, 40 + 80 * c + random.nextInt(30));
                    }
                }
                ImageIO.write(image, "png", folder.resolve("img" + i + ".png").toFile());
            }
        }
        return root;
    }

    /** A small convolutional classifier for 1-channel {@code SIZE x SIZE} images with {@code classes} outputs. */
    static Path modelFile(Path file, int classes) throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .weightInit(WeightInit.XAVIER).updater(new Adam(1e-2)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv1").nOut(4).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().name("fc1").nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(SIZE, SIZE, 1)).build());
        net.init();
        AtomicFiles.writeModel(net, file, false);
        return file;
    }
}
