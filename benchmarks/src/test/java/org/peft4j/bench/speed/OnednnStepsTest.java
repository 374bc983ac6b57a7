package org.peft4j.bench.speed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnednnStepsTest {

    private static final String FIRST = "dnnl_verbose,exec,cpu,convolution,brgconv:avx512_core,forward_inference,"
            + "src_f32::blocked:acdb:f0 wei_f32::blocked:Acdb64a:f0 bia_f32::blocked:a:f0 dst_f32::blocked:acdb:f0,,"
            + "alg:convolution_direct,mb16_ic3oc64_ih64oh64kh3sh1dh0ph1_iw64ow64kw3sw1dw0pw1,";
    private static final String REORDER = "dnnl_verbose,exec,cpu,reorder,jit:uni,undef,"
            + "src_f32::blocked:abcd:f0 dst_f32::blocked:acdb:f0,,,16x64x64x64,";
    private static final String WEIGHTS = "dnnl_verbose,exec,cpu,convolution,jit:avx512_common,backward_weights,"
            + "src_f32::blocked:aBcd16b:f0 wei_f32::blocked:ABcd16b16a:f0 bia_undef::undef::f0 "
            + "dst_f32::blocked:aBcd16b:f0,,alg:convolution_direct,mb16_ic128oc128_ih32oh32kh3sh1dh0ph1_iw32ow32kw3sw1dw0pw1,";

    @TempDir
    Path temp;

    /** Three steps of three executions; the first is skipped, the last two kept: sums per step and categories. */
    private static List<String> threeSteps() {
        return List.of("dnnl_verbose,info,oneDNN v2.3.0", "some other output",
                FIRST + "100", REORDER + "100", WEIGHTS + "100",
                FIRST + "1.5", REORDER + "2.5", WEIGHTS + "10",
                FIRST + "2.5", REORDER + "1.5", WEIGHTS + "14",
                // the inference phase after the training steps: not a training step, left out by --steps
                FIRST + "50");
    }

    @Test
    void keepsTheStepsAfterTheSkippedOnesAndStopsAtTheNextStart() {
        List<OnednnLog.Execution> kept = OnednnLog.steps(threeSteps(), "convolution forward_inference mb16_ic3oc64_ih64", 1, 2);
        assertThat(kept).hasSize(6);
        assertThat(kept.stream().mapToDouble(OnednnLog.Execution::millis).sum()).isCloseTo(32.0, within(1e-9));
        assertThat(kept.get(1).category()).isEqualTo("reorder abcd->acdb");
        assertThat(kept.get(0).category()).isEqualTo("convolution forward");
        assertThat(kept.get(2).category()).isEqualTo("convolution backward_weights");
        assertThat(kept.get(2).implementation()).isEqualTo("jit:avx512_common");
    }

    @Test
    void tablesGiveMillisecondsPerStepByWorkAndByKernel() {
        String tables = OnednnSteps.tables("x.log", OnednnLog.steps(threeSteps(), "convolution forward_inference mb16_ic3oc64_ih64", 1, 2), 2, 25);
        assertThat(tables).contains("oneDNN in x.log: 16.0 ms and 3 executions per step (2 steps)",
                "| convolution backward_weights | 12.00 | 1.0 | 75.0% |", "| reorder abcd->acdb | 2.00 | 1.0 | 12.5% |",
                "| convolution forward | 2.00 | 1.0 | 12.5% |",
                "| convolution backward_weights, jit:avx512_common | "
                        + "mb16_ic128oc128_ih32oh32kh3sh1dh0ph1_iw32ow32kw3sw1dw0pw1 | 12.00 | 1.0 |");
        assertThat(tables.indexOf("backward_weights |")).isLessThan(tables.indexOf("reorder abcd->acdb |"));
    }

    @Test
    void theBackwardPassesOfTheFirstConvolutionDoNotStartSteps() {
        String backward = FIRST.replace("brgconv:avx512_core,forward_inference", "jit:avx512_common,backward_data");
        List<String> log = List.of(FIRST + "1", backward + "2", FIRST + "3", backward + "4", FIRST + "5");
        List<OnednnLog.Execution> kept = OnednnLog.steps(log, "convolution forward_inference mb16_ic3oc64_ih64", 1, 1);
        assertThat(kept).extracting(OnednnLog.Execution::millis).containsExactly(3.0, 4.0);
        assertThat(OnednnLog.steps(log, "mb16_ic3oc64_ih64", 1, 1)).extracting(OnednnLog.Execution::millis)
                .containsExactly(2.0);
    }

    @Test
    void aLogWithoutMarkerIsTheStepsItHolds() {
        List<String> pytorch = List.of("onednn_verbose,exec,cpu,reorder,jit:blk,undef,src_f32::blocked:aBcd16b:f0 "
                + "dst_f32::blocked:abcd:f0,attr-scratchpad:user ,,16x64x64x64,0.686035");
        List<OnednnLog.Execution> kept = OnednnLog.steps(pytorch, "", 0, 1);
        assertThat(kept).singleElement().satisfies(e -> {
            assertThat(e.category()).isEqualTo("reorder aBcd16b->abcd");
            assertThat(e.millis()).isEqualTo(0.686035);
        });
    }

    @Test
    void badLogsAreRefusedWithWhatIsMissing() throws IOException {
        assertThatThrownBy(() -> OnednnLog.steps(threeSteps(), "convolution forward_inference mb16_ic3oc64_ih64", 3, 2))
                .hasMessageContaining("4 executions whose text contains 'convolution forward_inference mb16_ic3oc64_ih64'")
                .hasMessageContaining("need 5");
        assertThatThrownBy(() -> OnednnLog.steps(List.of("hello"), "", 0, 1)).hasMessageContaining("DNNL_VERBOSE=1");
        assertThatThrownBy(() -> OnednnLog.steps(threeSteps(), "", 1, 1)).hasMessageContaining("needs a marker");
        assertThatThrownBy(() -> OnednnLog.parse("dnnl_verbose,exec,cpu,reorder,1.0"))
                .hasMessageContaining("5 fields, expected 11");
        assertThatThrownBy(() -> OnednnLog.parse(REORDER + "fast")).hasMessageContaining("no time at the end");
        Path empty = Files.writeString(temp.resolve("empty.log"), "nothing\n");
        assertThatThrownBy(() -> OnednnSteps.main(new String[] {"--log", empty.toString()}))
                .hasMessageContaining("--log " + empty).hasMessageContaining("DNNL_VERBOSE=1");
        assertThatThrownBy(() -> OnednnSteps.main(new String[] {"--log", temp.resolve("absent.log").toString()}))
                .hasMessageContaining("absent.log: no such file");
        assertThatThrownBy(() -> OnednnSteps.main(new String[] {"--lgo", "x"})).hasMessageContaining("unknown flag --lgo");
        assertThatThrownBy(() -> OnednnSteps.main(new String[] {"--log", empty.toString(), "--steps", "three"}))
                .hasMessageContaining("--steps takes a whole number, got 'three'");
    }

    @Test
    void writesTheTablesWhereAsked() throws IOException {
        Path log = Files.write(temp.resolve("steps.log"), threeSteps());
        Path out = temp.resolve("out/steps.md");
        OnednnSteps.main(new String[] {"--log", log.toString(), "--marker", "convolution forward_inference mb16_ic3oc64_ih64", "--skip", "1",
            "--steps", "2", "--out", out.toString()});
        assertThat(Files.readString(out)).contains("oneDNN in steps.log: 16.0 ms");
    }
}
