package org.peft4j.bench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.peft4j.bench.train.InputSpec;

/**
 * The image input a model expects, from options or from the model itself: the channels are the first layer's
 * {@code nIn}; the size is the one whose activations reach the model's flattening step
 * ({@code CnnToFeedForwardPreProcessor}, set by {@code setInputType}) with the height and width recorded there.
 *
 * @param spec   channels, size and scaling
 * @param source where channels and size came from, to tell the user
 */
record ModelInput(InputSpec spec, String source) {

    private static final int LARGEST_SIZE = 1024;

    /** Options win; what they leave open is read from {@code model}, or the error names the option to give. */
    static ModelInput of(Model model, Integer size, Integer channels, InputSpec.Normalisation normalisation) {
        List<String> from = new ArrayList<>();
        int c = channels != null ? channels : firstLayerInputs(model);
        from.add("channels " + c + (channels != null ? " (--channels)" : " (the model's first layer)"));
        int s = size != null ? size : inferredSize(model, c);
        from.add("size " + s + "x" + s + (size != null ? " (--image-size)" : " (the model's input type)"));
        return new ModelInput(new InputSpec(c, s, normalisation), String.join(", ", from));
    }

    private static int firstLayerInputs(Model model) {
        FeedForwardLayer first = null;
        if (model instanceof MultiLayerNetwork net && net.getLayer(0).conf().getLayer() instanceof FeedForwardLayer f) {
            first = f;
        } else if (model instanceof ComputationGraph graph) {
            String input = graph.getConfiguration().getNetworkInputs().get(0);
            for (Map.Entry<String, List<String>> entry : graph.getConfiguration().getVertexInputs().entrySet()) {
                GraphVertex vertex = graph.getConfiguration().getVertices().get(entry.getKey());
                if (entry.getValue().contains(input) && vertex instanceof LayerVertex layer
                        && layer.getLayerConf().getLayer() instanceof FeedForwardLayer f) {
                    first = f;
                }
            }
        }
        if (first == null || (first.getNIn() != 1 && first.getNIn() != 3)) {
            throw new IllegalArgumentException("cannot tell the model's image channels from its first layer"
                    + (first == null ? "" : " (nIn " + first.getNIn() + ")") + "; give --channels 1 or 3");
        }
        return (int) first.getNIn();
    }

    private static int inferredSize(Model model, int channels) {
        IntPredicate fits = model instanceof MultiLayerNetwork net ? fits(net.getLayerWiseConfigurations(), channels)
                : fits(((ComputationGraph) model).getConfiguration(), channels);
        for (int s = 1; s <= LARGEST_SIZE; s++) {
            if (fits.test(s)) {
                return s;
            }
        }
        throw new IllegalArgumentException("cannot tell the model's image size (it records no flattening step with "
                + "a size); give --image-size");
    }

    private static IntPredicate fits(MultiLayerConfiguration conf, int channels) {
        for (int i = 1; i < conf.getConfs().size(); i++) {
            if (conf.getInputPreProcess(i) instanceof CnnToFeedForwardPreProcessor flatten) {
                int layer = i;
                return s -> matches(() -> conf.getLayerActivationTypes(InputType.convolutional(s, s, channels))
                        .get(layer - 1), flatten);
            }
        }
        return s -> false;
    }

    private static IntPredicate fits(ComputationGraphConfiguration conf, int channels) {
        for (Map.Entry<String, GraphVertex> entry : conf.getVertices().entrySet()) {
            if (entry.getValue() instanceof LayerVertex vertex
                    && vertex.getPreProcessor() instanceof CnnToFeedForwardPreProcessor flatten) {
                String before = conf.getVertexInputs().get(entry.getKey()).get(0);
                return s -> matches(() -> conf.getLayerActivationTypes(InputType.convolutional(s, s, channels))
                        .get(before), flatten);
            }
        }
        return s -> false;
    }

    private static boolean matches(java.util.function.Supplier<InputType> activation, InputPreProcessor flatten) {
        CnnToFeedForwardPreProcessor expected = (CnnToFeedForwardPreProcessor) flatten;
        try {
            return activation.get() instanceof InputType.InputTypeConvolutional conv
                    && conv.getHeight() == expected.getInputHeight() && conv.getWidth() == expected.getInputWidth();
        } catch (RuntimeException tooSmall) {
            return false;
        }
    }
}
