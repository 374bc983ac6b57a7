package org.peft4j.bench.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Settings shown in summaries read as text, not as record dumps. */
class ReadableSettingsTest {

    @Test
    void augmentationDescribesWhatItDoes() {
        assertThat(Augmentation.NONE.describe()).isEqualTo("none");
        assertThat(Augmentation.FLIP_AND_BRIGHTNESS.describe()).isEqualTo("random horizontal flip, brightness shift up to 0.1");
        assertThat(new Augmentation(false, 0.2).describe()).isEqualTo("brightness shift up to 0.2");
    }

    @Test
    void inputSpecDescribesShapeAndScaling() {
        assertThat(new InputSpec(1, 28, InputSpec.Normalisation.UNIT).describe()).isEqualTo("1x28x28, pixels / 255");
        assertThat(new InputSpec(3, 32, InputSpec.Normalisation.VGG_IMAGENET).describe())
                .isEqualTo("3x32x32, VGG ImageNet channel means subtracted");
    }
}
