package org.peft4j.bench.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.AdapterRegistry;
import org.peft4j.lora.LoraConfig;
import org.peft4j.lora.LoraInit;
import org.peft4j.lora.LoraMethod;

class ContenderFactoryTest {

    private static final AdapterRegistry REGISTRY = AdapterRegistry.of(new LoraMethod());
    private static final Backbone BACKBONE = new VggMiniBackbone();
    private static MultiLayerNetwork pretrained;
    private static DataSet batch;

    @BeforeAll
    static void network() {
        pretrained = (MultiLayerNetwork) BACKBONE.create(5, 0);
        Nd4j.getRandom().setSeed(3);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 4, 5);
        for (int i = 0; i < 4; i++) {
            labels.putScalar(i, i, 1f);
        }
        batch = new DataSet(Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28), labels);
    }

    private ContenderFactory.Prepared build(Contender contender, long seed) throws UnavailableContenderException {
        return new ContenderFactory(REGISTRY).build(contender, pretrained, BACKBONE, 5, seed, Optimiser.adam(1e-2));
    }

    @Test
    void headOnlyKeepsTheBackboneFixedAndTrainsANewHead() throws Exception {
        INDArray convBefore = pretrained.getLayer(0).getParam("W").dup();
        MultiLayerNetwork net = (MultiLayerNetwork) build(Contender.baseline(Contender.HEAD_ONLY), 1).network().model();
        assertThat(net.getLayer(10).getParam("W")).isNotEqualTo(pretrained.getLayer(10).getParam("W"));
        INDArray fc1Before = net.getLayer(9).getParam("W").dup();
        net.fit(batch);
        net.fit(batch);
        assertThat(net.getLayer(0).getParam("W")).isEqualTo(convBefore);
        assertThat(net.getLayer(9).getParam("W")).isNotEqualTo(fc1Before);
        assertThat(pretrained.getLayer(0).getParam("W")).isEqualTo(convBefore);
        MultiLayerNetwork otherSeed = (MultiLayerNetwork) build(Contender.baseline(Contender.HEAD_ONLY), 2).network().model();
        MultiLayerNetwork sameSeed = (MultiLayerNetwork) build(Contender.baseline(Contender.HEAD_ONLY), 1).network().model();
        assertThat(otherSeed.getLayer(10).getParam("W")).isNotEqualTo(sameSeed.getLayer(10).getParam("W"));
        // the new head is drawn with the output layer's own scheme (ReLU init for vgg-mini), as the adapters' head
        assertThat(((BaseLayer) net.getLayer(10).conf().getLayer()).getWeightInitFn())
                .isEqualTo(WeightInit.RELU.getWeightInitFunction());
    }

    @Test
    void fullFineTuningTrainsEverything() throws Exception {
        ContenderFactory.Prepared full = build(Contender.baseline(Contender.FULL), 1);
        MultiLayerNetwork net = (MultiLayerNetwork) full.network().model();
        INDArray convBefore = net.getLayer(0).getParam("W").dup();
        net.fit(batch);
        assertThat(net.getLayer(0).getParam("W")).isNotEqualTo(convBefore);
        assertThat(full.network().parameters().trainable()).isEqualTo(434_661);
    }

    @Test
    void adapterRunsGetTheSeedsHeadAndTheOverriddenSettings() throws Exception {
        Contender lora = new Contender("lora", Contender.Kind.ADAPTER, true, Map.of("rank", "2"), Optional.of("fc1"));
        ContenderFactory.Prepared one = build(lora, 1);
        ContenderFactory.Prepared again = build(lora, 1);
        ContenderFactory.Prepared other = build(lora, 2);
        // A [1152, 2] + B [2, 128] + new head 645
        assertThat(one.network().parameters().trainable()).isEqualTo(1152 * 2 + 2 * 128 + 645);
        assertThat(one.adapted()).containsExactly("fc1");
        assertThat(one.merge()).isPresent();
        assertThat(one.config()).contains("\"rank\":2");
        INDArray head1 = ((MultiLayerNetwork) one.network().model()).getLayer(10).getParam("W");
        assertThat(((MultiLayerNetwork) again.network().model()).getLayer(10).getParam("W")).isEqualTo(head1);
        assertThat(((MultiLayerNetwork) other.network().model()).getLayer(10).getParam("W")).isNotEqualTo(head1);
    }

    @Test
    void methodThatCannotAdaptConvolutionsIsUnavailable() {
        Contender lora = new Contender("lora", Contender.Kind.ADAPTER, false, Map.of(), Optional.empty());
        assertThatThrownBy(() -> build(lora, 1)).isInstanceOf(UnavailableContenderException.class)
                .hasMessageContaining("block1_conv1").hasMessageContaining("lora adapts DenseLayer");
    }

    @Test
    void settingsAreCheckedByName() {
        LoraMethod method = new LoraMethod();
        assertThat(ContenderFactory.config(method, Map.of("rank", "4", "alpha", "4", "init", "GAUSSIAN")))
                .isEqualTo(new LoraConfig(4, 4, 0.0, LoraInit.GAUSSIAN));
        assertThatThrownBy(() -> ContenderFactory.config(method, Map.of("rnk", "4")))
                .hasMessageContaining("has no setting 'rnk'").hasMessageContaining("rank");
        assertThatThrownBy(() -> ContenderFactory.config(method, Map.of("rank", "0")))
                .hasMessageContaining("rank must be >= 1");
    }

    @Test
    void unknownBackboneNamesTheKnownOnes() {
        assertThatThrownBy(() -> Backbones.byName("resnet101", 224, Optional.empty()))
                .hasMessageContaining("vgg16, resnet50, vgg-mini");
        assertThat(List.of(Backbones.byName("vgg16", 32, Optional.empty()).featureBoundary())).containsExactly("block5_pool");
    }
}
