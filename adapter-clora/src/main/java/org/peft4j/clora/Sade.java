package org.peft4j.clora;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SADE, CLoRA's sample-agnostic diversity term, for one module, with its exact gradient (METHODS-NEXT.md §2;
 * the formula is our design, the paper only says it is a Frobenius-norm term on the weights that stands in
 * for decorrelating the outputs of the p matrices {@code M_h = D_h·Q_h·U_h [d_in, d_out]}).
 *
 * <pre>
 *   sim_ab = ||M_aᵀ·M_b||²_F / (||M_aᵀ·M_a||_F·||M_bᵀ·M_b||_F + ε)      linear CKA with white inputs, in [0, 1]
 *   SADE   = weight · Σ_(a&lt;b) sim_ab                                   weight = lambda / (m · p(p-1)/2)
 *   ||M_aᵀ·M_b||²_F = n_ab = tr(K_a·H_ab·K_b·H_abᵀ),  K_a = Q_a·(U_a·U_aᵀ)·Q_aᵀ,  H_ab = D_aᵀ·D_b   (all r x r)
 * </pre>
 *
 * All pairs at once: with {@code H = Dcatᵀ·Dcat} and {@code K = blockdiag(K_a)} (both [p·r, p·r]),
 * {@code n_ab} is the sum of block (a, b) of {@code (K·H·K) ∘ H}. The cost is {@code O(d·(p·r)²)} for
 * {@code H} and {@code U·Uᵀ}, never the {@code O(p²·d³)} of forming the M's. The gradient: writing
 * {@code SADE = Σ_ab Γ_ab·n_ab} with Γ the (symmetric) derivative with respect to n, and
 * {@code Ĥ = H ∘ (Γ ⊗ 1_r)}: {@code ∂/∂K = Ĥ·K·H + H·K·Ĥ} (diagonal blocks), {@code ∂/∂H = K·Ĥ·K + (K·H·K) ∘ (Γ ⊗ 1_r)},
 * {@code ∂/∂Dcat = Dcat·(G_H + G_Hᵀ)}, {@code ∂/∂Q = (G_K + G_Kᵀ)·Q·S}, {@code ∂/∂Ucat = (G_S + G_Sᵀ)·Ucat} with
 * {@code G_S = Qᵀ·G_K·Q} and {@code S = blockdiag(U_a·U_aᵀ)}. Everything is computed in double.
 */
final class Sade {

    /** ε of the similarity's denominator: keeps sim = 0 (and finite) while a module's U is still zero. */
    static final double EPSILON = 1e-12;

    private Sade() {
    }

    /**
     * The value and gradients of one module's term, in double.
     *
     * @param value weight·Σ_(a&lt;b) sim_ab
     * @param down  ∂/∂Dcat [d_in, p·r]
     * @param mix   ∂/∂Q [p, r, r]
     * @param up    ∂/∂Ucat [p·r, d_out]
     */
    record Result(double value, INDArray down, INDArray mix, INDArray up) {
    }

    /** The weight of one pair of one module: {@code lambda / (m · p(p-1)/2)}, 0 when p = 1. */
    static double pairWeight(CloraConfig config, int modules) {
        int p = config.pool();
        return p < 2 ? 0 : config.lambda() / (modules * (p * (p - 1) / 2.0));
    }

    /** The term's value. Shapes as in {@link #evaluate}. */
    static double value(INDArray down, INDArray mix, INDArray up, double weight) {
        return new Terms(down, mix, up).value(weight);
    }

    /**
     * The term and its gradients.
     *
     * @param down   Dcat [d_in, p·r]
     * @param mix    Q [p, r, r]
     * @param up     Ucat [p·r, d_out]
     * @param weight the weight of each pair
     */
    static Result evaluate(INDArray down, INDArray mix, INDArray up, double weight) {
        Terms t = new Terms(down, mix, up);
        double value = t.value(weight);
        INDArray gamma = t.expanded(t.coefficients(weight));
        INDArray hHat = t.h.mul(gamma);
        INDArray gradK = MixingBlocks.blockDiagonalPart(hHat.mmul(t.k).mmul(t.h).addi(t.h.mmul(t.k).mmul(hHat)), t.p, t.r);
        INDArray gradH = t.k.mmul(hHat).mmul(t.k).addi(t.khk.mul(gamma));
        INDArray gradDown = t.d.mmul(gradH.add(gradH.transpose()));
        INDArray gradKsym = gradK.add(gradK.transpose());
        INDArray gradMix = MixingBlocks.diagonalBlocks(gradKsym.mmul(t.q).mmul(t.s), t.p, t.r);
        INDArray gradS = t.q.transpose().mmul(gradK).mmul(t.q);
        INDArray gradUp = gradS.add(gradS.transpose()).mmul(t.u);
        return new Result(value, gradDown, gradMix, gradUp);
    }

    /** The quantities every evaluation needs, in double. */
    private static final class Terms {
        final int p;
        final int r;
        final INDArray d;
        final INDArray u;
        final INDArray q;
        final INDArray h;
        final INDArray s;
        final INDArray k;
        final INDArray khk;
        final double[][] n;
        final double[] c;

        Terms(INDArray down, INDArray mix, INDArray up) {
            p = (int) mix.size(0);
            r = (int) mix.size(1);
            d = down.castTo(DataType.DOUBLE);
            u = up.castTo(DataType.DOUBLE);
            q = MixingBlocks.blockDiagonal(mix.castTo(DataType.DOUBLE));
            h = d.transpose().mmul(d);
            s = MixingBlocks.blockDiagonalPart(u.mmul(u.transpose()), p, r);
            k = q.mmul(s).mmul(q.transpose());
            khk = k.mmul(h).mmul(k);
            INDArray sums = khk.mul(h).reshape('c', p, r, p, r).sum(1, 3);
            n = sums.toDoubleMatrix();
            c = new double[p];
            for (int a = 0; a < p; a++) {
                c[a] = Math.sqrt(Math.max(n[a][a], 0));
            }
        }

        double value(double weight) {
            double value = 0;
            for (int a = 0; a < p; a++) {
                for (int b = a + 1; b < p; b++) {
                    value += n[a][b] / (c[a] * c[b] + EPSILON);
                }
            }
            return weight * value;
        }

        /** Γ [p, p]: the derivative of the term with respect to n_ab, split evenly between (a, b) and (b, a). */
        double[][] coefficients(double weight) {
            double[][] gamma = new double[p][p];
            double[] gradC = new double[p];
            for (int a = 0; a < p; a++) {
                for (int b = a + 1; b < p; b++) {
                    double denominator = c[a] * c[b] + EPSILON;
                    gamma[a][b] = weight / denominator / 2;
                    gamma[b][a] = gamma[a][b];
                    double dc = -weight * n[a][b] / (denominator * denominator);
                    gradC[a] += dc * c[b];
                    gradC[b] += dc * c[a];
                }
            }
            for (int a = 0; a < p; a++) {
                // c_a = sqrt(n_aa); at c_a = 0 (M_a = 0) the gradient of c_a is zero
                gamma[a][a] = c[a] > 0 ? gradC[a] / (2 * c[a]) : 0;
            }
            return gamma;
        }

        /** Γ ⊗ 1_r: every entry of block (a, b) is Γ_ab, [p·r, p·r]. */
        INDArray expanded(double[][] gamma) {
            int width = p * r;
            double[] data = new double[width * width];
            for (int i = 0; i < width; i++) {
                for (int j = 0; j < width; j++) {
                    data[i * width + j] = gamma[i / r][j / r];
                }
            }
            return Nd4j.create(data, new long[] {width, width}, DataType.DOUBLE);
        }
    }
}
