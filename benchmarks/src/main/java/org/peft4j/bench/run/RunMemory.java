package org.peft4j.bench.run;

import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.network.NetworkKind;

/**
 * The memory of one run, measured for that run alone (the process's resident peak is not: a later
 * method would inherit an earlier one's peak). Workspace and optimiser-state bytes are those the speed
 * benchmark reports as {@code workspaces MB} and {@code updater MB}.
 *
 * @param rssStartBytes     resident memory of the process when the run started (after the previous run's
 *                          ND4J workspaces were released)
 * @param rssPeakBytes      largest resident memory seen during the run
 * @param workspaceBytes    capacity of the ND4J workspaces of the training thread after the run
 * @param updaterStateBytes optimiser state of the network (Adam: two values per trainable parameter)
 */
public record RunMemory(long rssStartBytes, long rssPeakBytes, long workspaceBytes, long updaterStateBytes) {

    /** How much the resident memory grew during the run (0 when it never rose above its start). */
    public long rssGrowthBytes() {
        return Math.max(0, rssPeakBytes - rssStartBytes);
    }

    /** Workspaces plus optimiser state: the training memory the method itself asks ND4J for. */
    public long trainingStateBytes() {
        return workspaceBytes + updaterStateBytes;
    }

    /**
     * Releases the training thread's ND4J workspaces, so that the next run's workspaces are its own, and
     * returns the resident memory then.
     */
    static long startRun() {
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        return Pointer.physicalBytes();
    }

    /** The memory of a run that started at {@code rssStart}, peaked at {@code rssPeak} and trained {@code network}. */
    static RunMemory after(long rssStart, long rssPeak, Model network) {
        long workspaces = Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread().stream()
                .mapToLong(MemoryWorkspace::getCurrentSize).sum();
        BaseMultiLayerUpdater<?> updater = NetworkKind.of(network).updater(network);
        INDArray state = updater == null ? null : updater.getStateViewArray();
        long bytes = state == null ? 0 : state.length() * state.dataType().width();
        return new RunMemory(rssStart, Math.max(rssStart, rssPeak), workspaces, bytes);
    }
}
