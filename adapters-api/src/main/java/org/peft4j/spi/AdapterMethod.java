package org.peft4j.spi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * A parameter-efficient fine-tuning method, found at run time with {@link java.util.ServiceLoader}.
 *
 * <p>To add a method in your own jar, implement this interface and list the class in
 * {@code META-INF/services/org.peft4j.spi.AdapterMethod}; the {@link org.peft4j.AdapterRegistry} finds it
 * without any change to peft4j. A method supplies maths only:
 * <ul>
 *   <li>a unique {@link #name()} such as {@code lora} or {@code colora}, and a public no-argument constructor
 *       (adapted networks name the method's class in their configuration);</li>
 *   <li>a configuration record ({@link #configType()}) validated in its constructor and stored as JSON in
 *       adapter files and network configurations;</li>
 *   <li>the layers it can adapt ({@link #unsupportedReason}), among those of {@link WeightShape#of};</li>
 *   <li>per layer, a {@link LayerAdapter}: its parameters, {@code ΔW} and the chain rule through it.</li>
 * </ul>
 * peft4j wraps every adapted layer in one configuration class ({@code org.peft4j.layers.AdapterLayer}) and
 * runs it on its execution core: the method writes no DL4J layer, runtime or parameter initialiser.
 *
 * <p><b>Methods that span layers.</b> {@link #plan} sees every selected layer at once, so a method may group
 * them (stack equal-shape weights into one tensor, give all of them one shared pool of bases). A tensor that
 * several layers share is declared in each member's {@link LayerPlan#shared()} under the same key and
 * {@link ParameterGroup}; it lives as an ordinary parameter of ONE member, the group's owner (the member
 * earliest in network order), so the updater, the flat parameter array, serialisation, reports and adapter
 * files count it once. Every member reads it ({@link AdapterParameters#get}) and hands its gradient
 * contribution to it ({@link AdapterGradients#set}); the owner, backpropagated last, receives the sum. State
 * derived from the members' frozen weights ({@link AdapterParameters#derived}) is recomputed after a merge.
 *
 * @param <C> the configuration record of this method
 */
public interface AdapterMethod<C extends AdapterConfig> {

    /** Unique, lower-case name used to select the method, e.g. {@code "lora"}. */
    String name();

    /** The configuration record type; adapter files store it as JSON of this type. */
    Class<C> configType();

    /** The configuration used when the caller gives none. */
    C defaultConfig();

    /**
     * Why this method cannot adapt {@code layer}, or empty when it can.
     *
     * @param layer a configured DL4J layer (nIn/nOut already inferred)
     */
    Optional<String> unsupportedReason(Layer layer);

    /**
     * The plan of every selected layer: what it shares and its own settings. The default adapts each layer
     * on its own.
     *
     * @param targets every selected layer, in network order; each passed {@link #unsupportedReason}
     * @return one plan per target, keyed by layer name
     * @throws IllegalArgumentException naming the layer when the configuration does not fit it
     */
    default Map<String, LayerPlan> plan(List<TargetLayer> targets, C config) {
        Map<String, LayerPlan> plans = new LinkedHashMap<>();
        targets.forEach(t -> plans.put(t.name(), LayerPlan.ALONE));
        return plans;
    }

    /**
     * The maths of one adapted layer.
     *
     * @param weight the layer's weight
     * @param plan   what {@link #plan} decided for the layer
     */
    LayerAdapter adapter(WeightShape weight, C config, LayerPlan plan);
}
