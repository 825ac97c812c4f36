@file:JvmName("Optimizers")

package dev.kindling.dsl

import dev.kindling.optim.Adagrad
import dev.kindling.optim.Adam
import dev.kindling.optim.AdamW
import dev.kindling.optim.RMSprop
import dev.kindling.optim.SGD

// Optimizer factories with PyTorch's keyword names and defaults: adam(model.parameters(), lr = 1e-3, weightDecay = 1e-4).
// `params` is what the engine's constructors take: a list of tensors or of ParamGroups.

/** `torch.optim.SGD(params, lr, momentum=0, dampening=0, weight_decay=0, nesterov=False)`. */
fun sgd(params: Iterable<*>, lr: Double, momentum: Double = 0.0, dampening: Double = 0.0, weightDecay: Double = 0.0,
        nesterov: Boolean = false, maximize: Boolean = false): SGD =
    SGD.builder(params).lr(lr).momentum(momentum).dampening(dampening).weightDecay(weightDecay)
        .nesterov(nesterov).maximize(maximize).build()

/** `torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False)`. */
fun adam(params: Iterable<*>, lr: Double = 1e-3, betas: Pair<Double, Double> = 0.9 to 0.999, eps: Double = 1e-8,
         weightDecay: Double = 0.0, amsgrad: Boolean = false, maximize: Boolean = false): Adam =
    Adam.builder(params).lr(lr).betas(betas.first, betas.second).eps(eps).weightDecay(weightDecay)
        .amsgrad(amsgrad).maximize(maximize).build()

/** `torch.optim.AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False)`. */
fun adamW(params: Iterable<*>, lr: Double = 1e-3, betas: Pair<Double, Double> = 0.9 to 0.999, eps: Double = 1e-8,
          weightDecay: Double = 1e-2, amsgrad: Boolean = false, maximize: Boolean = false): AdamW =
    AdamW.builder(params).lr(lr).betas(betas.first, betas.second).eps(eps).weightDecay(weightDecay)
        .amsgrad(amsgrad).maximize(maximize).build()

/** `torch.optim.RMSprop(params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False)`. */
fun rmsprop(params: Iterable<*>, lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8, weightDecay: Double = 0.0,
            momentum: Double = 0.0, centered: Boolean = false, maximize: Boolean = false): RMSprop =
    RMSprop.builder(params).lr(lr).alpha(alpha).eps(eps).weightDecay(weightDecay).momentum(momentum)
        .centered(centered).maximize(maximize).build()

/** `torch.optim.Adagrad(params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10)`. */
fun adagrad(params: Iterable<*>, lr: Double = 1e-2, lrDecay: Double = 0.0, weightDecay: Double = 0.0,
            initialAccumulatorValue: Double = 0.0, eps: Double = 1e-10, maximize: Boolean = false): Adagrad =
    Adagrad.builder(params).lr(lr).lrDecay(lrDecay).weightDecay(weightDecay)
        .initialAccumulatorValue(initialAccumulatorValue).eps(eps).maximize(maximize).build()
