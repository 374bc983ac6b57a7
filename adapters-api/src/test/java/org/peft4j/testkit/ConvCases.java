package org.peft4j.testkit;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.deeplearning4j.nn.conf.ConvolutionMode;

/**
 * jqwik generators of {@link ConvCase}s: kernels 1..5 (non-square in 2D), strides 1..3, dilations
 * 1..2, every convolution mode (Same, Truncate, Strict; Causal in 1D), explicit padding 0..2,
 * C_in and C_out 1..16, both data formats, with and without bias, inputs just large enough for a
 * non-empty output (and an exact fit in Strict mode). Same mode with a stride larger than the
 * effective kernel, which DL4J itself rejects (negative padding), is not generated: there the stride
 * is capped at the effective kernel.
 */
public final class ConvCases {

    private ConvCases() {
    }

    /** 2D and 1D cases, half each. */
    public static Arbitrary<ConvCase> any() {
        return Arbitraries.oneOf(twoD(), oneD());
    }

    public static Arbitrary<ConvCase> twoD() {
        Arbitrary<int[]> geometry = Combinators.combine(Arbitraries.integers().between(1, 5).list().ofSize(2),
                Arbitraries.integers().between(1, 3).list().ofSize(2), Arbitraries.integers().between(1, 2).list().ofSize(2),
                Arbitraries.integers().between(0, 2).list().ofSize(2)).as(ConvCases::flatten);
        return Combinators.combine(geometry, Arbitraries.of(ConvolutionMode.Same, ConvolutionMode.Truncate,
                ConvolutionMode.Strict), channels(), Arbitraries.integers().between(0, 4).list().ofSize(2),
                Arbitraries.longs().between(1, 1_000_000)).as((g, mode, ch, extra, seed) -> {
                    int padH = mode == ConvolutionMode.Same ? 0 : g[6];
                    int padW = mode == ConvolutionMode.Same ? 0 : g[7];
                    int strideH = stride(mode, g[0], g[2], g[4]);
                    int strideW = stride(mode, g[1], g[3], g[5]);
                    int inH = inputSize(mode, g[0], strideH, g[4], padH, extra.get(0));
                    int inW = inputSize(mode, g[1], strideW, g[5], padW, extra.get(1));
                    return new ConvCase(false, g[0], g[1], strideH, strideW, g[4], g[5], mode, padH, padW, ch[0], ch[1],
                            ch[2] == 1, ch[3] == 1, inH, inW, seed);
                });
    }

    public static Arbitrary<ConvCase> oneD() {
        return Combinators.combine(Arbitraries.integers().between(1, 5), Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 2), Arbitraries.integers().between(0, 2),
                Arbitraries.of(ConvolutionMode.Same, ConvolutionMode.Truncate, ConvolutionMode.Strict,
                        ConvolutionMode.Causal), channels(), Arbitraries.integers().between(0, 4),
                Arbitraries.longs().between(1, 1_000_000)).as((k, s, d, p, mode, ch, extra, seed) -> {
                    int pad = mode == ConvolutionMode.Same || mode == ConvolutionMode.Causal ? 0 : p;
                    int stride = stride(mode, k, s, d);
                    return new ConvCase(true, 1, k, 1, stride, 1, d, mode, 0, pad, ch[0], ch[1], ch[2] == 1, ch[3] == 1, 1,
                            inputSize(mode, k, stride, d, pad, extra), seed);
                });
    }

    /** {C_in, C_out, channelsLast, bias}. */
    private static Arbitrary<int[]> channels() {
        return Combinators.combine(Arbitraries.integers().between(1, 16), Arbitraries.integers().between(1, 16),
                Arbitraries.integers().between(0, 1), Arbitraries.integers().between(0, 1))
                .as((in, out, last, bias) -> new int[] {in, out, last, bias});
    }

    /** {@code stride}, capped at the effective kernel in Same mode. */
    private static int stride(ConvolutionMode mode, int kernel, int stride, int dilation) {
        return mode == ConvolutionMode.Same ? Math.min(stride, (kernel - 1) * dilation + 1) : stride;
    }

    /** At least one output; Strict: an exact fit; Same/Causal: any size from 1. */
    private static int inputSize(ConvolutionMode mode, int kernel, int stride, int dilation, int pad, int extra) {
        int effective = (kernel - 1) * dilation + 1;
        if (mode == ConvolutionMode.Same || mode == ConvolutionMode.Causal) {
            return 1 + extra + effective / 2;
        }
        int minimum = Math.max(1, effective - 2 * pad);
        if (mode == ConvolutionMode.Strict) {
            int fit = effective - 2 * pad + stride * (extra % 3);
            while (fit < minimum) {
                fit += stride;
            }
            return fit;
        }
        return minimum + extra;
    }

    private static int[] flatten(List<Integer> kernel, List<Integer> stride, List<Integer> dilation, List<Integer> pad) {
        return new int[] {kernel.get(0), kernel.get(1), stride.get(0), stride.get(1), dilation.get(0), dilation.get(1),
                pad.get(0), pad.get(1)};
    }
}
