package dev.kindling;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.testing.Fixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code toString()} against PyTorch's {@code repr} strings in {@code fixtures/tensor/repr.json}. */
class TensorFormatTest {
    @TestFactory
    Stream<DynamicTest> matchesPytorchRepr() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : Fixtures.load("fixtures/tensor/repr.json").get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("id").asText(), () -> {
                Tensor t = Fixtures.tensor(c.get("tensor"));
                if (c.get("requiresGrad").asBoolean()) t.requiresGrad(true);
                assertEquals(c.get("repr").asText(), t.toString());
            }));
        }
        return tests.stream();
    }

    @Test
    void gradFnIsPrinted() {
        Tensor x = Tensor.of(1f, 2f).requiresGrad(true);
        assertEquals("tensor([2., 4.], grad_fn=<MulBackward0>)", x.mul(2).toString());
    }

    @Test
    void nonContiguousPrintsLogicalOrder() {
        Tensor t = Tensor.arange(6).view(2, 3).t();
        assertEquals("tensor([[0, 3],\n        [1, 4],\n        [2, 5]])", t.toString());
    }

    @Test
    void closedTensorPrintsWithoutThrowing() {
        Tensor t = Tensor.of(1f);
        t.close();
        assertTrue(t.toString().contains("released"));
    }
}
