package org.peft4j.bench.speed;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The primitive executions in a oneDNN verbose log ({@code DNNL_VERBOSE=1} in the environment of a JVM running
 * libnd4j's oneDNN build, or PyTorch's {@code torch.backends.mkldnn.verbose}), cut into training steps.
 *
 * <p>oneDNN 2.x writes one line per execution:
 * {@code dnnl_verbose,exec,cpu,<primitive>,<implementation>,<propagation>,<memory descriptors>,<attributes>,
 * <auxiliary>,<problem>,<milliseconds>} ({@code onednn_verbose} from version 2.5 on); every other line is ignored.
 */
final class OnednnLog {

    /**
     * One execution.
     *
     * @param primitive      {@code convolution}, {@code deconvolution}, {@code reorder}, {@code matmul}, ...
     * @param implementation the kernel oneDNN chose, e.g. {@code brgconv:avx512_core}, {@code jit:blk}
     * @param propagation    {@code forward_inference}, {@code backward_data}, ... ({@code undef} for reorders)
     * @param layouts        the memory layouts read and written, e.g. {@code abcd->acdb} ({@code a}, {@code b},
     *                       ... name the logical axes, {@code 16b} a block of 16 along axis {@code b})
     * @param problem        the shapes, e.g. {@code mb16_ic128oc128_ih32oh32kh3...} or {@code 16x64x64x64}
     * @param millis         its time
     */
    record Execution(String primitive, String implementation, String propagation, String layouts, String problem,
            double millis) {

        /** What the execution did, without its shapes: e.g. {@code convolution backward_weights}, {@code reorder abcd->acdb}. */
        String category() {
            if (primitive.equals("reorder")) {
                return "reorder " + layouts;
            }
            String pass = propagation.startsWith("forward") ? "forward" : propagation;
            return pass.equals("undef") ? primitive : primitive + " " + pass;
        }

        /** {@code <primitive> <propagation> <problem>}, what a step marker is matched against. */
        String text() {
            return primitive + " " + propagation + " " + problem;
        }
    }

    private OnednnLog() {
    }

    /**
     * The executions of {@code steps} consecutive training steps of a log.
     *
     * @param lines  the log's lines
     * @param marker text of the step's first execution as {@code <primitive> <propagation> <problem>} (e.g.
     *               {@code convolution forward_inference mb16_ic3oc64_ih64}, the first convolution's forward pass: its
     *               backward passes have the same problem; a marker must occur once per step, and DL4J's own layers
     *               run their forward pass again in backpropagation, where the first pooling layer's
     *               {@code pooling_v2 forward_inference} is a marker that does not repeat); each execution whose text
     *               contains it starts a step, which runs to the next start or the end of the log. Empty: the whole
     *               log is {@code steps} steps (a log of exactly those steps, as {@code onednn_step.py} writes).
     * @param skip   steps to leave out before those counted (warm-up steps); 0 without a marker
     * @param steps  steps to keep, at least 1
     * @throws IllegalArgumentException when the log holds no execution, fewer than {@code skip + steps} steps begin
     *                                  with the marker (the message says how many do), or steps are to be skipped
     *                                  without a marker to find them by
     */
    static List<Execution> steps(List<String> lines, String marker, int skip, int steps) {
        if (steps < 1 || skip < 0) {
            throw new IllegalArgumentException("need at least 1 step and no negative skip; got steps " + steps
                    + ", skip " + skip);
        }
        List<Execution> all = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("dnnl_verbose,exec,") || line.startsWith("onednn_verbose,exec,")) {
                all.add(parse(line));
            }
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no oneDNN executions (lines 'dnnl_verbose,exec,...' or "
                    + "'onednn_verbose,exec,...'): run with DNNL_VERBOSE=1 in the environment");
        }
        if (marker.isEmpty()) {
            if (skip > 0) {
                throw new IllegalArgumentException("skipping " + skip + " steps needs a marker (--marker) to find "
                        + "where steps start");
            }
            return all;
        }
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).text().contains(marker)) {
                starts.add(i);
            }
        }
        if (starts.size() < skip + steps) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the log has %d executions whose text contains '%s' (step starts); %d skipped + %d kept "
                    + "need %d", starts.size(), marker, skip, steps, skip + steps));
        }
        int from = starts.get(skip);
        int to = starts.size() > skip + steps ? starts.get(skip + steps) : all.size();
        return List.copyOf(all.subList(from, to));
    }

    /** One {@code exec} line; a clear error naming the line when it has fewer fields than oneDNN 2.x writes. */
    static Execution parse(String line) {
        String[] f = line.split(",", -1);
        if (f.length < 11) {
            throw new IllegalArgumentException("not a oneDNN 2.x exec line (" + f.length + " fields, expected 11): "
                    + line);
        }
        double millis;
        try {
            millis = Double.parseDouble(f[f.length - 1].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("no time at the end of the oneDNN exec line: " + line, e);
        }
        return new Execution(f[3], f[4], f[5], layouts(f[6]), f[f.length - 2], millis);
    }

    /** {@code src_f32::blocked:abcd:f0 dst_f32::blocked:acdb:f0} -> {@code abcd->acdb}: the layouts in order. */
    private static String layouts(String descriptors) {
        List<String> formats = new ArrayList<>();
        for (String descriptor : descriptors.trim().split(" ")) {
            String[] parts = descriptor.split(":");
            if (parts.length >= 2) {
                formats.add(parts[parts.length - 2]);
            }
        }
        return String.join("->", formats);
    }
}
