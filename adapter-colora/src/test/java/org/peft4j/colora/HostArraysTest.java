package org.peft4j.colora;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The bulk copies between ND4J arrays and {@code double[]} keep values and order for views, workspaces and types. */
class HostArraysTest {

    @Test
    void viewsPermutationsAndOffsetsAreReadInCOrder() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE, DataType.HALF}) {
            INDArray base = Nd4j.linspace(1, 60, 60, DataType.DOUBLE).reshape(3, 4, 5).castTo(type);
            INDArray slice = base.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all());
            INDArray permuted = base.permute(2, 0, 1);
            assertThat(HostArrays.doubles(slice)).as(type + " slice").containsExactly(slice.dup('c').castTo(DataType.DOUBLE).data().asDouble());
            assertThat(HostArrays.doubles(permuted)).as(type + " permuted").containsExactly(permuted.dup('c').castTo(DataType.DOUBLE).data().asDouble());
        }
    }

    @Test
    void arraysAreWrittenWithTheirShapeAndTypeAlsoInsideAWorkspace() {
        double[] values = {1.5, -2, 3.25, 4, 5, 6};
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(
                WorkspaceConfiguration.builder().initialSize(1 << 20).build(), "HostArraysTest")) {
            for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE, DataType.HALF}) {
                INDArray array = HostArrays.array(values, type, 2, 3);
                assertThat(array.dataType()).isEqualTo(type);
                assertThat(array.shape()).containsExactly(2, 3);
                assertThat(array.getDouble(1, 0)).isEqualTo(4.0);
                assertThat(HostArrays.doubles(array)).containsExactly(values);
            }
        }
    }
}
