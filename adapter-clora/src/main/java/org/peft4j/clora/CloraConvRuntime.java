package org.peft4j.clora;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.peft4j.layers.MergedConvRuntime;

/**
 * Runtime of {@link CloraConvolutionLayer}: the merged-kernel convolution of {@link MergedConvRuntime} with the
 * branch {@link CloraConvBranch}, whose training score adds this module's lambda·SADE (its gradient is added
 * in the branch's backward pass).
 */
public class CloraConvRuntime extends MergedConvRuntime {

    private final transient CloraMember member;

    CloraConvRuntime(NeuralNetConfiguration conf, DataType dataType, CloraConvBranch branch) {
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
