package dev.kindling.backend.cuda;

import dev.kindling.DType;
import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.ReduceOp;
import dev.kindling.backend.UnaryOp;
import dev.kindling.backend.View;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the templates generate: names, types per dtype, and which ops exist for which compute types. */
class KernelSourcesTest {
    @Test
    void elementwiseNamesAndSignaturesFollowTheDtypes() {
        KernelSource s = ElementwiseKernels.source("exp", DType.BFLOAT16, List.of(DType.BFLOAT16), "expf(a)", true);
        assertEquals("ew_exp_bf16_bf16_c", s.name());
        assertTrue(s.code().contains("extern \"C\" __global__ void ew_exp_bf16_bf16_c(Geo g, long long n, unsigned short* __restrict__ out,"
                + " const unsigned short* __restrict__ in_a, double s0, double s1)"), s.code());
        assertTrue(s.code().contains("const float a = bf2f(in_a[o1]);"), s.code());
        assertTrue(s.code().contains("out[o0] = f2bf((float)(expf(a)));"), s.code());
        assertFalse(s.code().contains("g.stride"), "the contiguous variant has no index math");

        KernelSource t = ElementwiseKernels.source("where", DType.FLOAT64, List.of(DType.BOOL, DType.FLOAT64, DType.FLOAT64), "(a ? b : c)", false);
        assertEquals("ew_where_f64_b8_f64_f64_s", t.name());
        assertTrue(t.code().contains("const bool a = (in_a[o1] != 0);"), t.code());
        assertTrue(t.code().contains("o3 += x * g.stride[3][d];"), t.code());
        assertNotEquals(s.hash(), t.hash());
        assertEquals(s.hash(), ElementwiseKernels.source("exp", DType.BFLOAT16, List.of(DType.BFLOAT16), "expf(a)", true).hash());
    }

    @Test
    void everyUnaryAndBinaryOpHasAFloatExpressionAndIntegersOnlyWhatTheCpuAllows() {
        for (String ct : List.of("float", "double")) {
            for (UnaryOp op : UnaryOp.values()) assertNotNull(Expressions.unary(op, ct, "a"), op + " " + ct);
            for (BinaryOp op : BinaryOp.values()) assertNotNull(Expressions.binary(op, ct, "a", "b"), op + " " + ct);
        }
        assertEquals("expf(a)", Expressions.unary(UnaryOp.EXP, "float", "a"));
        assertEquals("exp(a)", Expressions.unary(UnaryOp.EXP, "double", "a"));
        assertNull(Expressions.unary(UnaryOp.EXP, "long long", "a"));
        assertNull(Expressions.binary(BinaryOp.DIV, "long long", "a", "b"));
        for (UnaryOp op : List.of(UnaryOp.NEG, UnaryOp.ABS, UnaryOp.RELU, UnaryOp.SIGN, UnaryOp.SQUARE, UnaryOp.FLOOR,
                UnaryOp.ROUND, UnaryOp.LOGICAL_NOT, UnaryOp.ISNAN, UnaryOp.ISFINITE)) {
            assertNotNull(Expressions.unary(op, "long long", "a"), op.toString());
        }
        assertEquals("ipow(a, b)", Expressions.binary(BinaryOp.POW, "long long", "a", "b"));
    }

    @Test
    void halfTypesAreStoredAsWordsAndComputeInFloat() {
        assertEquals("unsigned short", CudaTypes.storage(DType.FLOAT16));
        assertEquals("float", CudaTypes.compute(DType.FLOAT16));
        assertEquals("f2h((float)(x))", CudaTypes.store(DType.FLOAT16, "x"));
        assertEquals("(long long)(x)", CudaTypes.store(DType.INT64, "x"));
        assertEquals("(unsigned char)((x) != 0)", CudaTypes.store(DType.BOOL, "x"));
        for (DType t : DType.values()) assertFalse(CudaTypes.tag(t).isEmpty());
    }

    @Test
    void reductionsAccumulateLikePyTorch() {
        assertEquals("float", ReductionKernels.accumulator(ReduceOp.SUM, DType.FLOAT16));
        assertEquals("double", ReductionKernels.accumulator(ReduceOp.SUM, DType.FLOAT64));
        assertEquals("long long", ReductionKernels.accumulator(ReduceOp.SUM, DType.BOOL));
        assertEquals("int", ReductionKernels.accumulator(ReduceOp.MAX, DType.INT32));
        assertEquals("bool", ReductionKernels.accumulator(ReduceOp.ANY, DType.FLOAT32));
        KernelSource s = ReductionKernels.source(ReduceOp.MAX, DType.FLOAT32, DType.FLOAT32);
        assertEquals("red_max_f32_f32", s.name());
        assertTrue(s.code().contains("float acc = __uint_as_float(0xff800000u);"), s.code());
        assertTrue(s.code().contains("__shared__ float sh[256];"), s.code());
    }

    @Test
    void reductionGeometrySplitsKeptAndReducedDimensions() {
        // in [2,3,4] contiguous, reduce dim 1 -> out [2,1,4] contiguous
        View in = new View(null, DType.FLOAT32, new int[]{2, 3, 4}, new int[]{12, 4, 1}, 0);
        View out = new View(null, DType.FLOAT32, new int[]{2, 1, 4}, new int[]{4, 4, 1}, 0);
        long[] g = ReductionKernels.pack("sum", in, new int[]{1}, out);
        int m = Geometry.MAX_DIMS;
        assertEquals(2, g[0]);                  // kept: dims 0 and 2
        assertEquals(2, g[1]);
        assertEquals(4, g[2]);
        assertEquals(4, g[1 + m]);              // out strides of kept dims
        assertEquals(1, g[1 + m + 1]);
        assertEquals(12, g[1 + 2 * m]);         // in strides of kept dims
        assertEquals(1, g[1 + 2 * m + 1]);
        assertEquals(1, g[1 + 3 * m]);          // reduced: dim 1
        assertEquals(3, g[2 + 3 * m]);
        assertEquals(4, g[2 + 4 * m]);
        assertEquals(2 + 5 * m, g.length);
    }
}
