package org.peft4j.tcurlora;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.peft4j.layers.MergedConv1dRuntime;

/** Runtime of {@link TcurloraConvolution1DLayer}: the shared merged-kernel 1D runtime with a {@link TcurConvBranch}. */
public class TcurConv1dRuntime extends MergedConv1dRuntime {

    private final transient TcurMember member;

    TcurConv1dRuntime(NeuralNetConfiguration conf, DataType dataType, TcurConvBranch branch) {
        super(conf, dataType, branch);
        this.member = branch.member();
    }

    @Override
    public Map<String, String> adapterState() {
        return member.state();
    }
}
