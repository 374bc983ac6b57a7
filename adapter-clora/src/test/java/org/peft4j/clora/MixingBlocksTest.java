package org.peft4j.clora;

import static org.assertj.core.api.Assertions.assertThat;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Heap copies of ND4J matrices in every layout a parameter view or a product result can have. */
class MixingBlocksTest {

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void heapValuesFollowTheArraysOwnIndexingInEveryLayout(DataType type) {
        INDArray whole = Nd4j.rand(type, 5, 6);
        INDArray[] layouts = {
            whole,
            whole.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all()),               // rows of a buffer: offset view
            whole.reshape(1, 30).get(NDArrayIndex.point(0), NDArrayIndex.interval(7, 19)).reshape('c', 3, 4),
            whole.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3)),               // columns: strided view
            whole.transpose(),                                                          // f order
            whole.dup('f'),
        };
        for (INDArray x : layouts) {
            DMatrixRMaj heap = MixingBlocks.heap(x);
            assertThat(heap.numRows).isEqualTo(x.rows());
            assertThat(heap.numCols).isEqualTo(x.columns());
            for (int i = 0; i < x.rows(); i++) {
                for (int j = 0; j < x.columns(); j++) {
                    assertThat(heap.get(i, j)).as("%s [%d, %d]", x.shapeInfoToString(), i, j).isEqualTo(x.getDouble(i, j));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void heapMatricesComeBackAsArraysOfTheRequestedType(DataType type) {
        DMatrixRMaj m = new DMatrixRMaj(2, 3, true, 1.5, -2, 3, 4.25, 5, -6.125);
        INDArray a = MixingBlocks.array(m, type);
        assertThat(a.dataType()).isEqualTo(type);
        assertThat(a.shape()).containsExactly(2, 3);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(a.getDouble(i, j)).isEqualTo(m.get(i, j));
            }
        }
    }
}
