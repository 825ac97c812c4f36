package dev.kindling.nn;

import dev.kindling.Kindling;
import dev.kindling.Tensor;

/**
 * A lookup table of {@code numEmbeddings} vectors ({@code torch.nn.Embedding}), initialised N(0, 1); the
 * {@code paddingIdx} row starts at zero and receives no gradient.
 *
 * <pre>{@code var emb = new Embedding(10000, 128, 0); Tensor v = emb.forward(tokens);   // tokens: INT64 [N, T]}</pre>
 */
public class Embedding extends Module {
    /** Size of the vocabulary and of each embedding vector. */
    public final int numEmbeddings, embeddingDim;
    /** The padding row (made non-negative), -1 when there is none. */
    public final int paddingIdx;
    /** Learnable embedding table of shape {@code [numEmbeddings, embeddingDim]}, initialised from N(0, 1). */
    public Parameter weight;

    /** {@code nn.Embedding(num_embeddings, embedding_dim)}; arguments left out take PyTorch's defaults. */
    public Embedding(int numEmbeddings, int embeddingDim) { this(numEmbeddings, embeddingDim, null); }

    /** {@code paddingIdx} may be negative, counting from the end as in PyTorch. */
    public Embedding(int numEmbeddings, int embeddingDim, int paddingIdx) { this(numEmbeddings, embeddingDim, Integer.valueOf(paddingIdx)); }

    private Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: sizes must be positive, got " + numEmbeddings + " x " + embeddingDim);
        }
        if (paddingIdx != null && (paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings)) {
            throw new IllegalArgumentException("Embedding: padding_idx " + paddingIdx + " must be within num_embeddings " + numEmbeddings);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? -1 : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
        this.weight = new Parameter(Tensor.empty(numEmbeddings, embeddingDim));
        init.normal_(weight, 0, 1);
        if (this.paddingIdx >= 0) {
            try (var off = Kindling.noGrad()) {
                weight.select(0, this.paddingIdx).zero_();
            }
        }
    }

    @Override public Tensor forward(Tensor indices) {
        try {
            return F.embedding(indices, weight, paddingIdx);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    @Override protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx >= 0 ? ", padding_idx=" + paddingIdx : "");
    }
}
