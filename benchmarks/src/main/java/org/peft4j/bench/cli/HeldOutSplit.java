package org.peft4j.bench.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.peft4j.bench.data.LabeledImages;

/**
 * Training and held-out validation images drawn from one set: a shuffled share {@code fraction} of every class
 * (at least one image of each class with two or more) is held out, so both parts keep every class.
 *
 * @param train      the images trained on
 * @param validation the held-out images
 */
record HeldOutSplit(LabeledImages train, LabeledImages validation) {

    /** Splits {@code images}, the order drawn from {@code seed}. */
    static HeldOutSplit of(LabeledImages images, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("--validation-split must be above 0 and below 1, got " + fraction);
        }
        Random random = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        for (int c = 0; c < images.classes(); c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                if (images.label(i) == c) {
                    members.add(i);
                }
            }
            Collections.shuffle(members, random);
            int held = members.size() < 2 ? 0 : Math.max(1, (int) Math.round(members.size() * fraction));
            validation.addAll(members.subList(0, held));
            train.addAll(members.subList(held, members.size()));
        }
        if (train.isEmpty() || validation.isEmpty()) {
            throw new IllegalArgumentException("--validation-split " + fraction + " leaves " + train.size()
                    + " training and " + validation.size() + " validation images of " + images.size());
        }
        Collections.sort(train);
        Collections.sort(validation);
        return new HeldOutSplit(images.select(train.stream().mapToInt(Integer::intValue).toArray(), images.name() + " train"),
                images.select(validation.stream().mapToInt(Integer::intValue).toArray(), images.name() + " validation"));
    }
}
