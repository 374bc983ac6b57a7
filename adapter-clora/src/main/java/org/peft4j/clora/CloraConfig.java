package org.peft4j.clora;

import java.util.Optional;
import org.peft4j.spi.AdapterConfig;

/**
 * Hyper-parameters of CLoRA (method {@code clora}).
 *
 * @param rank   r, the rank of each basis pair {@code D_h [d_in, r]}, {@code U_h [r, d_out]}; at least 1, and at
 *               most {@code min(d_in, d_out)} of every target layer (checked when adapting)
 * @param pool   p, the number of basis pairs each pool holds (a module's update has rank at most p·r); at least 1
 * @param alpha  scale numerator: {@code ΔW = (alpha / r)·Σ_h D_h·Q_h·U_h}; positive and finite
 * @param lambda weight of the SADE diversity term in the training loss, {@code L = L_task + lambda·L_SADE};
 *               0 trains the shared bases without it; finite and not negative
 */
public record CloraConfig(int rank, int pool, double alpha, double lambda) implements AdapterConfig {

    /** r = 8, p = 4, alpha = r, lambda = 0.1 (docs/methods/clora.md). */
    public static final CloraConfig DEFAULT = new CloraConfig(8, 4, 8, 0.1);

    public CloraConfig {
        if (rank < 1) {
            throw new IllegalArgumentException("CLoRA rank r must be >= 1, got " + rank);
        }
        if (pool < 1) {
            throw new IllegalArgumentException("CLoRA pool size p must be >= 1, got " + pool);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("CLoRA alpha must be a positive finite number, got " + alpha);
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("CLoRA SADE weight lambda must be a finite number >= 0, got " + lambda);
        }
    }

    /** Rank r and pool size p with alpha = r and the default lambda 0.1. */
    public static CloraConfig of(int rank, int pool) {
        return new CloraConfig(rank, pool, rank, 0.1);
    }

    /** The same settings with SADE weight {@code lambda}. */
    public CloraConfig withLambda(double lambda) {
        return new CloraConfig(rank, pool, alpha, lambda);
    }

    @Override
    public Optional<AdapterConfig> withRank(int rank) {
        return Optional.of(new CloraConfig(rank, pool, alpha, lambda));
    }

    @Override
    public Optional<AdapterConfig> withAlpha(double alpha) {
        return Optional.of(new CloraConfig(rank, pool, alpha, lambda));
    }

    /** The update's scale {@code alpha / r}. */
    public double scale() {
        return alpha / rank;
    }

    /** p·r, the width of a pool's concatenated bases. */
    public int width() {
        return pool * rank;
    }
}
