package dev.kindling.amp;

/**
 * The scale and growth tracker after one {@code update()}: PyTorch's {@code _amp_update_scale_} kernel.
 * The scale is a float32 number (PyTorch keeps it in a float32 tensor); each factor is applied in double
 * precision and the product rounded to float32 once, as the kernel's {@code float * double} does.
 */
record ScaleUpdate(float scale, int growthTracker) {

    /**
     * After an iteration with ({@code foundInf}) or without non-finite gradients: back off and restart the
     * count, or count one more clean step and grow once {@code growthInterval} clean steps have passed in a row.
     */
    static ScaleUpdate next(float scale, int growthTracker, boolean foundInf, double growthFactor, double backoffFactor,
                            int growthInterval) {
        if (foundInf) return new ScaleUpdate((float) (scale * backoffFactor), 0);
        int successful = growthTracker + 1;
        if (successful != growthInterval) return new ScaleUpdate(scale, successful);
        float grown = (float) (scale * growthFactor);
        // PyTorch 1.13 let the scale grow to Inf, after which every gradient overflows and training is stuck;
        // PyTorch 2.1 keeps the old scale instead, and so do we (the two agree whenever the product is finite)
        return new ScaleUpdate(Float.isFinite(grown) ? grown : scale, 0);
    }
}
