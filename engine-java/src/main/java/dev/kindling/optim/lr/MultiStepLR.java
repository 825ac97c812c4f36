package dev.kindling.optim.lr;

import dev.kindling.optim.Optimizer;
import dev.kindling.optim.ScalarMath;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Multiplies the learning rate by {@code gamma} at each milestone epoch ({@code torch.optim.lr_scheduler.MultiStepLR}).
 *
 * <pre>{@code
 * var sched = new MultiStepLR(opt, new int[]{30, 80}, 0.1);
 * }</pre>
 */
public class MultiStepLR extends LRScheduler {
    private int[] milestones;
    private double gamma;

    /** A MultiStepLR with the given options and PyTorch's defaults for the rest. */
    public MultiStepLR(Optimizer optimizer, int[] milestones) { this(optimizer, milestones, 0.1); }

    /** A MultiStepLR with the given options and PyTorch's defaults for the rest. */
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer);
        if (milestones == null) throw new IllegalArgumentException("MultiStepLR: milestones must not be null");
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        this.gamma = gamma;
        initialStep();
    }

    private int count(int epoch) {
        int c = 0;
        for (int m : milestones) if (m == epoch) c++;
        return c;
    }

    @Override protected double[] computeLr() {
        double[] lrs = currentLrs();
        int c = count(lastEpoch);
        if (c == 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] = lrs[i] * ScalarMath.pow(gamma, c);
        return lrs;
    }

    @Override protected double[] closedFormLr() {
        int passed = 0;
        for (int m : milestones) if (m <= lastEpoch) passed++;
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] = lrs[i] * ScalarMath.pow(gamma, passed);
        return lrs;
    }

    @Override protected void saveState(Map<String, Object> sd) {
        List<Integer> ms = new ArrayList<>();
        for (int m : milestones) ms.add(m);
        sd.put("milestones", ms);
        sd.put("gamma", gamma);
    }

    @Override protected Runnable loadState(Map<String, ?> sd, String op) {
        double[] ms = toArray(sd.get("milestones"), op);
        int[] m = new int[ms.length];
        for (int i = 0; i < ms.length; i++) m[i] = (int) ms[i];
        Arrays.sort(m);
        double g = number(sd, "gamma", op);
        return () -> {
            milestones = m;
            gamma = g;
        };
    }
}
