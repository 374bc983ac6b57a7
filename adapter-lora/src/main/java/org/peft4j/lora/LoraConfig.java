package org.peft4j.lora;

import java.util.Optional;
import org.peft4j.spi.AdapterConfig;

/**
 * Hyper-parameters of LoRA ({@code lora} for dense layers, {@code lora-conv} for convolutions).
 *
 * @param rank    r, the inner dimension of the low-rank update; at least 1, and at most {@code min(nIn, nOut)}
 *                (convolutions: {@code min(C_out, C_in·taps)}) of every target layer (checked when adapting)
 * @param alpha   scale numerator: the update is multiplied by {@code alpha / rank}; positive
 * @param dropout dropout probability on the branch input during training, in [0, 1)
 * @param init    how {@code A} is drawn ({@code B} starts at zero, so adapted == base at init)
 */
public record LoraConfig(int rank, double alpha, double dropout, LoraInit init) implements AdapterConfig {

    /** r = 8, alpha = 8, no dropout, Kaiming-uniform (Hugging Face PEFT's defaults). */
    public static final LoraConfig DEFAULT = new LoraConfig(8, 8, 0.0, LoraInit.KAIMING_UNIFORM);

    public LoraConfig {
        if (rank < 1) {
            throw new IllegalArgumentException("LoRA rank must be >= 1, got " + rank);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("LoRA alpha must be a positive finite number, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        if (init == null) {
            throw new IllegalArgumentException("LoRA init must be given (KAIMING_UNIFORM or GAUSSIAN)");
        }
    }

    /** Rank and alpha with no dropout and Kaiming-uniform init. */
    public static LoraConfig of(int rank, double alpha) {
        return new LoraConfig(rank, alpha, 0.0, LoraInit.KAIMING_UNIFORM);
    }

    @Override
    public Optional<AdapterConfig> withRank(int rank) {
        return Optional.of(new LoraConfig(rank, alpha, dropout, init));
    }

    @Override
    public Optional<AdapterConfig> withAlpha(double alpha) {
        return Optional.of(new LoraConfig(rank, alpha, dropout, init));
    }

    /** The branch scale {@code alpha / rank}. */
    public double scale() {
        return alpha / rank;
    }
}
