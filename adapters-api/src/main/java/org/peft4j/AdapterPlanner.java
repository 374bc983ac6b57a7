package org.peft4j;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.peft4j.layers.AdapterLayer;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.spi.AdapterMethod;
import org.peft4j.spi.LayerPlan;
import org.peft4j.spi.ParameterGroup;
import org.peft4j.spi.TargetLayer;

/**
 * Builds the adapted layer configurations: layers with the same method and the same configuration are
 * planned together, in one {@link AdapterMethod#plan} call (so a method that shares tensors between layers,
 * like tCURLoRA or CLoRA, groups exactly those), and layers whose method or configuration differ never share a
 * tensor. When two plan calls name a {@link ParameterGroup} alike, the later call's group is renamed
 * {@code <id>@<owner>} so that every group id is unique in the network. Planning is deterministic: the calls
 * run in network order of their first layer, so an adapter file's layers, methods and configurations give
 * the same plans again.
 */
final class AdapterPlanner {

    private record Key(String method, AdapterConfig config) {
    }

    private AdapterPlanner() {
    }

    /** The adapted configuration of every target, by layer name, in the order of {@code targets}. */
    static Map<String, AdapterLayer> adapt(List<AdapterTargets.Target> targets) {
        Map<Key, List<AdapterTargets.Target>> groups = new LinkedHashMap<>();
        for (AdapterTargets.Target target : targets) {
            groups.computeIfAbsent(new Key(target.method().name(), target.config()), k -> new ArrayList<>()).add(target);
        }
        Map<String, AdapterLayer> adapted = new LinkedHashMap<>();
        Set<String> groupIds = new HashSet<>();
        for (List<AdapterTargets.Target> group : groups.values()) {
            adapted.putAll(adaptTogether(group, groupIds));
        }
        Map<String, AdapterLayer> ordered = new LinkedHashMap<>();
        targets.forEach(t -> ordered.put(t.slot().name(), adapted.get(t.slot().name())));
        return ordered;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, AdapterLayer> adaptTogether(List<AdapterTargets.Target> group, Set<String> usedIds) {
        AdapterMethod method = group.get(0).method();
        AdapterConfig config = group.get(0).config();
        List<TargetLayer> targetLayers = group.stream()
                .map(t -> new TargetLayer(t.slot().name(), t.slot().index(), t.slot().config().clone()))
                .toList();
        Map<String, LayerPlan> plans = method.plan(targetLayers, config);
        if (!plans.keySet().equals(targetLayers.stream().map(TargetLayer::name).collect(Collectors.toSet()))) {
            throw new IllegalStateException("method '" + method.name() + "' planned layers " + plans.keySet()
                    + " for targets " + targetLayers.stream().map(TargetLayer::name).toList());
        }
        Map<String, LayerPlan> unique = uniqueGroupIds(plans, usedIds);
        Map<String, AdapterLayer> adapted = new LinkedHashMap<>();
        for (TargetLayer target : targetLayers) {
            adapted.put(target.name(), AdapterLayer.of(target.config(), method, config, unique.get(target.name())));
        }
        return adapted;
    }

    /** {@code plans} with every group id already in {@code usedIds} renamed; adds the ids to {@code usedIds}. */
    private static Map<String, LayerPlan> uniqueGroupIds(Map<String, LayerPlan> plans, Set<String> usedIds) {
        Set<String> ids = new HashSet<>();
        plans.values().forEach(p -> p.shared().values().forEach(g -> ids.add(g.id())));
        Set<String> clashing = ids.stream().filter(usedIds::contains).collect(Collectors.toSet());
        Map<String, LayerPlan> renamed = new LinkedHashMap<>();
        plans.forEach((layer, plan) -> {
            Map<String, ParameterGroup> shared = new LinkedHashMap<>();
            plan.shared().forEach((key, g) -> shared.put(key,
                    clashing.contains(g.id()) ? new ParameterGroup(g.id() + "@" + g.owner(), g.members()) : g));
            renamed.put(layer, clashing.isEmpty() ? plan : new LayerPlan(shared, plan.settings()));
        });
        renamed.values().forEach(p -> p.shared().values().forEach(g -> usedIds.add(g.id())));
        return renamed;
    }
}
