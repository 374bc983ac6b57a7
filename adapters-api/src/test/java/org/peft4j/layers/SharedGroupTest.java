package org.peft4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.spi.ParameterGroup;

class SharedGroupTest {

    private static final ParameterGroup GROUP = new ParameterGroup("g", List.of("a", "b", "c"));

    private static MultiLayerNetwork net() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().name("a").nOut(3).build())
                .layer(new DenseLayer.Builder().name("b").nOut(3).build())
                .layer(new DenseLayer.Builder().name("c").nOut(3).build())
                .layer(new OutputLayer.Builder().name("out").nOut(2).build())
                .setInputType(InputType.feedForward(3)).build());
        net.init();
        return net;
    }

    private static SharedGroup join(MultiLayerNetwork net, int layer) {
        Layer runtime = net.getLayer(layer);
        return SharedGroup.join(GROUP, "abc".substring(layer, layer + 1), runtime, runtime.params());
    }

    @Test
    void membersOfOneNetworkMeetAndOtherNetworksGetTheirOwnGroup() {
        MultiLayerNetwork first = net();
        MultiLayerNetwork second = first.clone();
        SharedGroup c = join(first, 2);
        SharedGroup a = join(first, 0);
        SharedGroup b = join(first, 1);
        SharedGroup other = join(second, 1);
        assertThat(a).isSameAs(b).isSameAs(c);
        assertThat(other).isNotSameAs(a);
        assertThat(a.members()).containsExactly(first.getLayer(0), first.getLayer(1), first.getLayer(2));
        assertThatThrownBy(() -> other.ownerParam("W")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'a'").hasMessageContaining("not part of this network");
    }

    @Test
    void ownerParametersAreLiveViews() {
        MultiLayerNetwork net = net();
        SharedGroup group = join(net, 1);
        join(net, 0);
        net.getLayer(0).getParam("W").assign(0.25);
        assertThat(group.ownerParam("W").meanNumber().doubleValue()).isEqualTo(0.25);
        assertThatThrownBy(() -> group.ownerParam("nothing")).hasMessageContaining("no parameter 'nothing'");
    }

    @Test
    void contributionsAddUpUntilTaken() {
        SharedGroup group = join(net(), 0);
        assertThat(group.takeAccumulated("dU")).isNull();
        group.accumulate("dU", Nd4j.ones(DataType.DOUBLE, 2, 2));
        group.accumulate("dU", Nd4j.ones(DataType.DOUBLE, 2, 2).muli(2));
        assertThat(group.takeAccumulated("dU").sumNumber().doubleValue()).isEqualTo(12.0);
        assertThat(group.takeAccumulated("dU")).isNull();
        group.accumulate("dU", Nd4j.ones(DataType.DOUBLE, 2, 2));
        group.clearAccumulated();
        assertThat(group.takeAccumulated("dU")).isNull();
    }

    @Test
    void derivedStateIsComputedOnceUntilInvalidated() {
        SharedGroup group = join(net(), 0);
        AtomicInteger computed = new AtomicInteger();
        assertThat(group.<Integer>derived(g -> computed.incrementAndGet())).isEqualTo(1);
        assertThat(group.<Integer>derived(g -> computed.incrementAndGet())).isEqualTo(1);
        group.invalidate();
        assertThat(group.<Integer>derived(g -> computed.incrementAndGet())).isEqualTo(2);
    }

    @Test
    void badMembershipFailsClearly() {
        MultiLayerNetwork net = net();
        assertThatThrownBy(() -> SharedGroup.join(GROUP, "zz", net.getLayer(0), net.getLayer(0).params()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'zz'");
        assertThatThrownBy(() -> SharedGroup.join(GROUP, "a", net.getLayer(0), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no parameter view");
        join(net, 0);
        ParameterGroup other = new ParameterGroup("g", List.of("a", "b"));
        assertThatThrownBy(() -> SharedGroup.join(other, "b", net.getLayer(1), net.getLayer(1).params()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("disagree");
        assertThatThrownBy(() -> new ParameterGroup("g", List.of("a", "a"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParameterGroup(" ", List.of("a"))).isInstanceOf(IllegalArgumentException.class);
    }
}
