package org.peft4j.clora;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.peft4j.layers.MergedConv1dRuntime;

/**
 * Runtime of {@link CloraConvolution1DLayer}: the shared merged-kernel 1D runtime ({@link MergedConv1dRuntime},
 * DL4J's 1D weight layout) with the branch {@link CloraConvBranch} ({@code kH = 1}); its training score adds
 * this module's lambda·SADE, whose gradient the branch adds in the backward pass.
 */
public class CloraConv1dRuntime extends MergedConv1dRuntime {

    private final transient CloraMember member;

    CloraConv1dRuntime(NeuralNetConfiguration conf, DataType dataType, CloraConvBranch branch) {
        super(conf, dataType, branch);
        this.member = branch.member();
    }

    /** The regularisation DL4J adds to the score (L1, L2 of the adapter keys) plus this module's lambda·SADE. */
    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        return super.calcRegularizationScore(backpropParamsOnly) + member.sadeScore(getParam(CloraLayer.MIX));
    }

    @Override
    public Map<String, String> adapterState() {
        return member.state();
    }
}
