"""Record a PyTorch model's training for netviz: every optimizer step, or from a Lightning Trainer.

    from netviz.torch import record
    with record(model, "run.netviz") as rec:   # nn.Sequential, or any module whose Linear layers chain
        for x, y in batches:
            loss = loss_fn(model(x), y)
            optimizer.zero_grad(); loss.backward()
            rec.loss = loss                     # the loss netviz shows with the step
            optimizer.step()                    # recorded here, by an optimizer-step hook

Epoch 0 of the recording is the weights before the first step, with that step's loss; epoch k
the weights after k recorded steps (every `every`-th), with the loss given for that step.
nn.Linear keeps its weight as (out, in): netviz stores weight.T. Only global rank 0 writes;
other ranks of a distributed run get a recording that records nothing.

Lightning: `from netviz.lightning import NetvizCallback`.
"""

import numpy as np
import torch
from torch import nn
from torch.optim.optimizer import register_optimizer_step_post_hook, register_optimizer_step_pre_hook

from netviz.chain import Dense, activation_name, filled_biases, is_rank_zero, layer_sizes, unsupported
from netviz.recorder import Recorder

_ACTIVATIONS = {
    nn.Sigmoid: "sigmoid", nn.Tanh: "tanh", nn.ReLU: "relu", nn.Softmax: "softmax", nn.LogSoftmax: "log_softmax",
    nn.GELU: "gelu", nn.SiLU: "silu", nn.ELU: "elu", nn.SELU: "selu", nn.LeakyReLU: "leaky_relu", nn.CELU: "celu",
    nn.Softplus: "softplus", nn.ReLU6: "relu6", nn.Mish: "mish", nn.Hardsigmoid: "hard_sigmoid",
    nn.Hardtanh: "hard_tanh", nn.Hardswish: "hard_swish", nn.LogSigmoid: "log_sigmoid", nn.Softsign: "softsign",
}  # fmt: skip
# Modules that draw as nothing: they change no weight and, when the network is drawn, pass their input on.
_PASS_THROUGH = (nn.Identity, nn.Dropout, nn.AlphaDropout, nn.Flatten)


def dense_chain(model: nn.Module, skip_unsupported: bool = False) -> tuple[list[nn.Linear], list[Dense], list[str]]:
    """(the Linear layers in order, netviz's view of them, notes); UnsupportedLayer for a module netviz cannot draw."""
    linears, chain, notes = [], [], []
    for name, module in model.named_modules():
        if next(module.children(), None) is not None:
            continue  # a container: its leaves come in order
        kind = type(module).__name__
        if isinstance(module, nn.Linear):
            linears.append(module)
            chain.append(Dense(name, module.in_features, module.out_features))
        elif type(module) in _ACTIVATIONS:
            if chain and chain[-1].activation == "linear":
                chain[-1].activation = activation_name(_ACTIVATIONS[type(module)], name, notes)
        elif not isinstance(module, _PASS_THROUGH):
            unsupported(name, kind, skip_unsupported, notes)
    layer_sizes(chain)
    return linears, chain, notes


def arrays(linears: list[nn.Linear], chain: list[Dense]) -> tuple[list[np.ndarray], list | None]:
    """(weights (n_in, n_out) as weight.T, biases or None) of the Linear layers now, as NumPy copies."""
    with torch.no_grad():
        weights = [m.weight.detach().cpu().double().numpy().T for m in linears]
        biases = [None if m.bias is None else m.bias.detach().cpu().double().numpy() for m in linears]
    return weights, filled_biases(biases, chain)


class Recording:
    """A model recorded at its optimizer's steps; set `loss` before each step, close() (or `with`) at the end."""

    def __init__(self, model: nn.Module, path, optimizer=None, every: int = 1, *, skip_unsupported=False, **data):
        if int(every) < 1:
            raise ValueError("every must be at least 1")
        self.every, self.steps, self.loss = int(every), 0, None
        self.recorder: Recorder | None = None
        self._hooks = []
        if not is_rank_zero():
            return
        self._linears, self._chain, notes = dense_chain(model, skip_unsupported)
        acts = [d.activation for d in self._chain]
        self.recorder = Recorder(path, layer_sizes(self._chain), activations=acts, notes=notes, **data)
        if optimizer is None:  # every optimizer's steps
            pre, post = register_optimizer_step_pre_hook, register_optimizer_step_post_hook
        else:
            pre, post = optimizer.register_step_pre_hook, optimizer.register_step_post_hook
        self._hooks = [pre(self._before_step), post(self._after_step)]

    def __enter__(self) -> "Recording":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _loss(self):
        loss = self.loss
        return None if loss is None else float(loss.detach() if isinstance(loss, torch.Tensor) else loss)

    def _before_step(self, *_) -> None:
        if self.steps == 0 and self.recorder.epochs == 0:  # the starting weights, with the first step's loss
            self.recorder.record(*arrays(self._linears, self._chain), loss=self._loss())

    def _after_step(self, *_) -> None:
        self.steps += 1
        if self.steps % self.every == 0:
            self.recorder.record(*arrays(self._linears, self._chain), loss=self._loss())

    def close(self) -> None:
        """Stop recording and fold the recording into one session file."""
        for hook in self._hooks:
            hook.remove()
        self._hooks = []
        if self.recorder is not None:
            self.recorder.close()


def record(model: nn.Module, path, optimizer=None, every: int = 1, **options) -> Recording:
    """Record `model` at every `every`-th step of `optimizer` (default: any optimizer) to path.

    options: skip_unsupported (leave out modules netviz cannot draw, with a note), inputs,
    targets, input_names, target_names (rows netviz shows outputs for; with them, the loss may be
    left unset and netviz computes the mean squared error).
    """
    return Recording(model, path, optimizer, every, **options)
