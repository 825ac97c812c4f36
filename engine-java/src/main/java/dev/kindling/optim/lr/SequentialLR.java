package dev.kindling.optim.lr;

import dev.kindling.optim.Optimizer;
import dev.kindling.optim.ParamGroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs schedulers one after another, switching at the milestone epochs
 * ({@code torch.optim.lr_scheduler.SequentialLR}); the usual warmup-then-decay.
 *
 * <pre>{@code
 * var sched = new SequentialLR(opt, List.of(new LinearLR(opt, 0.1, 1.0, 5), new CosineAnnealingLR(opt, 95)), new int[]{5});
 * }</pre>
 */
public class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private final int[] milestones;

    /** A SequentialLR with the given options and PyTorch's defaults for the rest. */
    public SequentialLR(Optimizer optimizer, List<? extends LRScheduler> schedulers, int[] milestones) {
        super(optimizer);
        if (schedulers == null || schedulers.isEmpty()) throw new IllegalArgumentException("SequentialLR: expects at least one scheduler");
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer() != optimizer) {
                throw new IllegalArgumentException("SequentialLR: Sequential Schedulers expects all schedulers to belong to the same"
                        + " optimizer, but got schedulers at index " + i + " to be different than the optimizer passed in");
            }
        }
        if (milestones == null || milestones.length != schedulers.size() - 1) {
            throw new IllegalArgumentException("SequentialLR: expects number of schedulers provided to be one more than the number"
                    + " of milestone points, but got number of schedulers " + schedulers.size() + " and the number of milestones "
                    + (milestones == null ? "null" : milestones.length));
        }
        this.schedulers = new ArrayList<>(schedulers);
        this.milestones = milestones.clone();
        lastEpoch = 0;
        for (ParamGroup g : optimizer.paramGroups()) g.setLr(g.getDouble("initial_lr"));
        // undo the initial steps the schedulers took when built, then redo only the first one's
        for (LRScheduler s : this.schedulers) s.lastEpoch -= 1;
        this.schedulers.get(0).initialStep();
        recordLastLr();
    }

    @Override protected double[] computeLr() { return currentLrs(); }

    @Override public void step() {
        lastEpoch++;
        int idx = 0;
        while (idx < milestones.length && milestones[idx] <= lastEpoch) idx++;
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == lastEpoch) s.step(0);
        else s.step();
        recordLastLr();
    }

    @Override public void step(int epoch) {
        throw new IllegalArgumentException("SequentialLR.step(epoch): SequentialLR only steps one epoch at a time; call step()");
    }

    @Override protected void saveState(Map<String, Object> sd) {
        List<Object> states = new ArrayList<>();
        for (LRScheduler s : schedulers) states.add(s.stateDict());
        sd.put("_schedulers", states);
        List<Integer> ms = new ArrayList<>();
        for (int m : milestones) ms.add(m);
        sd.put("_milestones", ms);
    }

    @Override protected Runnable loadState(Map<String, ?> sd, String op) {
        if (!(sd.get("_schedulers") instanceof List<?> states) || states.size() != schedulers.size()) {
            throw new IllegalArgumentException(op + ": expected " + schedulers.size() + " scheduler states in \"_schedulers\"");
        }
        double[] ms = toArray(sd.get("_milestones"), op);
        if (ms.length != milestones.length) throw new IllegalArgumentException(op + ": milestones " + Arrays.toString(ms) + " differ");
        // every inner state is checked before any scheduler changes
        List<Runnable> loads = new ArrayList<>();
        for (int i = 0; i < states.size(); i++) {
            if (!(states.get(i) instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException(op + ": \"_schedulers\"[" + i + "] is not a state dict: " + states.get(i));
            }
            @SuppressWarnings("unchecked") Map<String, ?> inner = (Map<String, ?>) m;
            loads.add(schedulers.get(i).prepareLoad(inner));
        }
        return () -> loads.forEach(Runnable::run);
    }
}
