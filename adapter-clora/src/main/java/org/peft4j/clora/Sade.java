package org.peft4j.clora;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * SADE, CLoRA's sample-agnostic diversity term, for one module, with its exact gradient. The formula is
 * peft4j's design ({@code docs/methods/clora.md}): the paper only says it is a Frobenius-norm term on the
 * weights that stands in for decorrelating the outputs of the p matrices {@code M_h = D_h·Q_h·U_h [d_in, d_out]}.
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
 * {@code G_S = Qᵀ·G_K·Q} and {@code S = blockdiag(U_a·U_aᵀ)}. The caller supplies {@code H}, {@code blockdiag(Q)}
 * and {@code S}; everything here is of size {@code [p·r, p·r]} and runs in double on the heap, block by block where a
 * factor is block-diagonal ({@link BlockProducts}). The gradients with respect to the bases are returned as their
 * {@code [p·r, p·r]} factors, so that the caller applies them to the bases in whatever layout it holds.
 */
final class Sade {

    /** ε of the similarity's denominator: keeps sim = 0 (and finite) while a module's U is still zero. */
    static final double EPSILON = 1e-12;

    private Sade() {
    }

    /**
     * The value and gradients of one module's term.
     *
     * @param value      weight·Σ_(a&lt;b) sim_ab
     * @param downFactor {@code G_D [p·r, p·r]}, symmetric: {@code ∂/∂Dcat = Dcat·G_D}
     * @param mix        ∂/∂Q as the block-diagonal {@code [p·r, p·r]}: block h is ∂/∂Q_h
     * @param upFactor   {@code G_U [p·r, p·r]}, symmetric and block-diagonal: {@code ∂/∂Ucat = G_U·Ucat}
     */
    record Result(double value, DMatrixRMaj downFactor, DMatrixRMaj mix, DMatrixRMaj upFactor) {
    }

    /** The weight of one pair of one module: {@code lambda / (m · p(p-1)/2)}, 0 when p = 1. */
    static double pairWeight(CloraConfig config, int modules) {
        int p = config.pool();
        return p < 2 ? 0 : config.lambda() / (modules * (p * (p - 1) / 2.0));
    }

    /** The term's value. Arguments as in {@link #evaluate}. */
    static double value(DMatrixRMaj gram, DMatrixRMaj mix, DMatrixRMaj upGrams, int r, double weight) {
        return new Terms(gram, mix, upGrams, r).value(weight);
    }

    /**
     * The term and its gradients, from the module's {@code [p·r, p·r]} summaries on the heap.
     *
     * @param gram    {@code H = Dcatᵀ·Dcat}, the down pool's Gram matrix
     * @param mix     {@code blockdiag(Q)} ({@link MixingBlocks#blockDiagonal(org.nd4j.linalg.api.ndarray.INDArray)})
     * @param upGrams {@code S = blockdiag(U_h·U_hᵀ)} ({@link BlockProducts#blockGrams} of {@code Ucat} with itself)
     * @param r       the rank r, the size of the blocks
     * @param weight  the weight of each pair
     */
    static Result evaluate(DMatrixRMaj gram, DMatrixRMaj mix, DMatrixRMaj upGrams, int r, double weight) {
        Terms t = new Terms(gram, mix, upGrams, r);
        double value = t.value(weight);
        DMatrixRMaj gamma = t.expanded(t.coefficients(weight));
        DMatrixRMaj hHat = new DMatrixRMaj(t.width, t.width);
        CommonOps_DDRM.elementMult(t.h, gamma, hHat);
        DMatrixRMaj gradK = add(
                BlockProducts.diagonalBlocksOfProduct(BlockProducts.timesBlockDiagonal(hHat, t.k, r), t.h, r),
                BlockProducts.diagonalBlocksOfProduct(BlockProducts.timesBlockDiagonal(t.h, t.k, r), hHat, r));
        DMatrixRMaj gradH = BlockProducts.sandwich(t.k, hHat, t.k, r);
        DMatrixRMaj khkGamma = new DMatrixRMaj(t.width, t.width);
        CommonOps_DDRM.elementMult(t.khk, gamma, khkGamma);
        CommonOps_DDRM.addEquals(gradH, khkGamma);
        DMatrixRMaj gradMix = BlockProducts.blockDiagonalProduct(
                BlockProducts.blockDiagonalProduct(symmetricSum(gradK), t.q, r), t.s, r);
        DMatrixRMaj gradS = BlockProducts.blockDiagonalProduct(
                BlockProducts.blockDiagonalProduct(CommonOps_DDRM.transpose(t.q, null), gradK, r), t.q, r);
        return new Result(value, symmetricSum(gradH), gradMix, symmetricSum(gradS));
    }

    private static DMatrixRMaj add(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj c = new DMatrixRMaj(a.numRows, a.numCols);
        CommonOps_DDRM.add(a, b, c);
        return c;
    }

    /** {@code x + xᵀ}. */
    private static DMatrixRMaj symmetricSum(DMatrixRMaj x) {
        return add(x, CommonOps_DDRM.transpose(x, null));
    }

    /** The quantities every evaluation needs, {@code [p·r, p·r]} in double on the heap. */
    private static final class Terms {
        final int p;
        final int r;
        final int width;
        final DMatrixRMaj q;
        final DMatrixRMaj h;
        final DMatrixRMaj s;
        final DMatrixRMaj k;
        final DMatrixRMaj khk;
        final double[][] n;
        final double[] c;

        Terms(DMatrixRMaj gram, DMatrixRMaj mix, DMatrixRMaj upGrams, int r) {
            this.r = r;
            width = mix.numRows;
            p = width / r;
            q = mix;
            h = gram;
            s = upGrams;
            k = BlockProducts.blockDiagonalProduct(BlockProducts.blockDiagonalProduct(q, s, r),
                    CommonOps_DDRM.transpose(q, null), r);
            khk = BlockProducts.sandwich(k, h, k, r);
            n = new double[p][p];
            for (int i = 0; i < width; i++) {
                for (int j = 0; j < width; j++) {
                    n[i / r][j / r] += khk.unsafe_get(i, j) * h.unsafe_get(i, j);
                }
            }
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
        DMatrixRMaj expanded(double[][] gamma) {
            DMatrixRMaj out = new DMatrixRMaj(width, width);
            for (int i = 0; i < width; i++) {
                for (int j = 0; j < width; j++) {
                    out.unsafe_set(i, j, gamma[i / r][j / r]);
                }
            }
            return out;
        }
    }
}
