package org.peft4j.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * A parameter-efficient fine-tuning method, found at run time with {@link java.util.ServiceLoader}.
 *
 * <p>To add a method in your own jar, implement this interface and list the class in
 * {@code META-INF/services/org.peft4j.spi.AdapterMethod}; the {@link org.peft4j.AdapterRegistry}
 * finds it without any change to peft4j. A method contributes:
 * <ul>
 *   <li>a unique {@link #name()} such as {@code lora} or {@code colora};</li>
 *   <li>a configuration record ({@link #configType()}) validated in its constructor and stored as
 *       JSON in adapter files;</li>
 *   <li>adapted DL4J layer configurations that implement {@link AdaptedLayer}, whose runtime layers
 *       implement {@link MergeableLayer}.</li>
 * </ul>
 *
 * <p><b>Methods that span layers.</b> {@link #adapt} receives every selected layer at once, so a
 * method may group them (stack equal-shape weights into one tensor, give all of them one shared
 * pool of bases). Tensors that several layers share are declared with a {@link ParameterGroup} in
 * every member's layer configuration and live as ordinary parameters of ONE member, the group's
 * owner (the member earliest in network order), so the updater, the flat parameter array,
 * serialisation, {@link org.peft4j.ParameterReport} and adapter files count them once; the owner
 * lists them in its {@link AdaptedLayer#adapterKeys()}, the other members do not. At run time the
 * members meet through {@link org.peft4j.layers.SharedGroup}: they read the owner's parameter views
 * in the forward pass and hand it their gradient contributions in the backward pass, which the
 * owner (backpropagated last) adds to its own. Merging runs in two phases over the whole network
 * (every {@link MergeableLayer#baseDelta()} is read before any weight is written, and every
 * {@link MergeableLayer#resetAdapter()} runs after all weights are written), so a group may re-derive
 * its shared state from the merged weights; the optimiser state of the owner's adapter keys is reset
 * like any other adapter's. Frozen state that the trained values depend on but that is not a
 * parameter goes into adapter files through {@link MergeableLayer#adapterState()}. Loss terms that
 * regularise the adapter (such as a diversity penalty) belong to the adapted layers' own
 * regularisation score and gradient, which DL4J already adds to the training loss; a group-level
 * term is the owner's.
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
     * Builds the adapted configurations of all selected layers.
     *
     * @param targets every selected layer, in network order; each passed {@link #unsupportedReason}
     * @param config  the validated configuration
     * @return one adapted configuration per target, keyed by layer name; each implements
     *     {@link AdaptedLayer} and keeps the target's layer name and its {@code W}/{@code b} keys and shapes
     */
    Map<String, Layer> adapt(List<TargetLayer> targets, C config);
}
