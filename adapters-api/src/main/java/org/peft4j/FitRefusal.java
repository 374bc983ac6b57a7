package org.peft4j;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * A training listener that stops {@code fit} after the gradient is computed and before any parameter is
 * updated, while a model's adapters are disabled or merged (training then would move the wrong weights).
 */
final class FitRefusal extends BaseTrainingListener {

    private final String reason;

    FitRefusal(String reason) {
        this.reason = reason;
    }

    @Override
    public void onGradientCalculation(Model model) {
        throw new IllegalStateException("fit refused: " + reason + "; no parameter was changed");
    }
}
