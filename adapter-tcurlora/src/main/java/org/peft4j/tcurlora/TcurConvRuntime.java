package org.peft4j.tcurlora;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.peft4j.layers.MergedConvRuntime;

/** Runtime of {@link TcurloraConvolutionLayer}: the shared merged-kernel 2D runtime with a {@link TcurConvBranch}. */
public class TcurConvRuntime extends MergedConvRuntime {

    private final transient TcurMember member;

    TcurConvRuntime(NeuralNetConfiguration conf, DataType dataType, TcurConvBranch branch) {
        super(conf, dataType, branch);
        this.member = branch.member();
    }

    @Override
    public Map<String, String> adapterState() {
        return member.state();
    }
}
