package dev.kindling;

import java.util.Map;
import java.util.Set;

/**
 * PyTorch 1.13's autocast op lists ({@code aten/src/ATen/autocast_mode.cpp}, as its own test lists in
 * {@code torch/testing/_internal/autocast_test_lists.py} exercise them), under Kindling's op names. What the
 * CPU lists do to our ops is checked against PyTorch itself by {@code gen_autocast_fixtures.py}.
 */
final class AutocastLists {
    private AutocastLists() {}

    /** What autocast does to an op's floating point inputs. */
    enum Policy {
        /** float32 inputs go to the region's dtype (float64 ones stay). */
        LOWER,
        /** FLOAT16/BFLOAT16 inputs go to float32. */
        FP32,
        /** Every floating input goes to the widest floating dtype among them. */
        PROMOTE,
        /** Refused under autocast (PyTorch: unsafe to autocast). */
        BANNED
    }

    private static final Map<String, Policy> CPU = Map.ofEntries(
            lower("conv1d"), lower("conv2d"), lower("conv3d"), lower("bmm"), lower("mm"), lower("matmul"),
            lower("baddbmm"), lower("addmm"), lower("addbmm"), lower("linear"),
            fp32("conv_transpose1d"), fp32("conv_transpose2d"), fp32("conv_transpose3d"),
            fp32("poisson_nll_loss"), fp32("cosine_embedding_loss"), fp32("hinge_embedding_loss"),
            fp32("margin_ranking_loss"), fp32("triplet_margin_loss"), fp32("binary_cross_entropy_with_logits"),
            fp32("avg_pool3d"), fp32("binary_cross_entropy"), fp32("nll_loss"), fp32("nll_loss2d"), fp32("l1_loss"),
            fp32("smooth_l1_loss"), fp32("mse_loss"), fp32("multilabel_margin_loss"), fp32("soft_margin_loss"),
            fp32("multi_margin_loss"), fp32("huber_loss"), fp32("cross_entropy"), fp32("kl_div"), fp32("prod"),
            promote("cat"), promote("stack"), promote("index_copy"));

    private static final Set<String> CUDA_LOWER = Set.of("conv1d", "conv2d", "conv3d", "conv_tbc", "conv_transpose1d",
            "conv_transpose2d", "conv_transpose3d", "convolution", "prelu", "addmm", "addmv", "addr", "matmul", "einsum", "mm",
            "mv", "chain_matmul", "addbmm", "baddbmm", "bmm", "linear", "lstm_cell", "gru_cell", "rnn_tanh_cell",
            "rnn_relu_cell", "linalg_multi_dot");

    private static final Set<String> CUDA_FP32 = Set.of("acos", "asin", "cosh", "erfinv", "exp", "expm1", "log", "log10",
            "log2", "log1p", "reciprocal", "rsqrt", "sinh", "tan", "pow", "softplus", "layer_norm", "group_norm", "norm",
            "cosine_similarity", "poisson_nll_loss", "cosine_embedding_loss", "nll_loss", "nll_loss2d",
            "hinge_embedding_loss", "kl_div", "l1_loss", "smooth_l1_loss", "huber_loss", "mse_loss", "margin_ranking_loss",
            "multilabel_margin_loss", "soft_margin_loss", "triplet_margin_loss", "multi_margin_loss",
            "binary_cross_entropy_with_logits", "dist", "pdist", "cdist", "renorm", "logsumexp", "cumprod", "cumsum", "prod",
            "sum", "softmax", "log_softmax", "cross_entropy");

    private static final Set<String> CUDA_PROMOTE = Set.of("addcdiv", "addcmul", "atan2", "bilinear", "cross", "dot",
            "grid_sampler", "index_put", "tensordot", "scatter_add", "cat", "stack", "index_copy");

    /** The policy for {@code op} on {@code device}'s type, or null when autocast leaves it alone. */
    static Policy policy(Device.Type device, String op) {
        if (device == Device.Type.CPU) return CPU.get(op);
        if (CUDA_LOWER.contains(op)) return Policy.LOWER;
        if (CUDA_FP32.contains(op)) return Policy.FP32;
        if (CUDA_PROMOTE.contains(op)) return Policy.PROMOTE;
        return op.equals("binary_cross_entropy") ? Policy.BANNED : null;
    }

    private static Map.Entry<String, Policy> lower(String op) { return Map.entry(op, Policy.LOWER); }

    private static Map.Entry<String, Policy> fp32(String op) { return Map.entry(op, Policy.FP32); }

    private static Map.Entry<String, Policy> promote(String op) { return Map.entry(op, Policy.PROMOTE); }
}
