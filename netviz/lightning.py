"""A Lightning callback that records a LightningModule's Linear layers on global rank 0 only.

    from netviz.lightning import NetvizCallback
    Trainer(callbacks=[NetvizCallback("/shared/run.netviz")]).fit(module, data)

Epoch 0 is the weights before training, with the first batch's loss; then one epoch every
`every` training epochs (or every `every_batches` batches), with the loss training_step returned.
"""

try:
    from lightning.pytorch import Callback
except ImportError:
    from pytorch_lightning import Callback

from netviz.chain import layer_sizes
from netviz.recorder import Recorder
from netviz.torch import arrays, dense_chain


class NetvizCallback(Callback):
    """Writes the module's Linear weights (as weight.T), biases and activations to a .netviz session."""

    def __init__(self, path, every: int = 1, every_batches: int | None = None, *, skip_unsupported=False, **data):
        super().__init__()
        if int(every) < 1 or (every_batches is not None and int(every_batches) < 1):
            raise ValueError("every and every_batches must be at least 1")
        self.path, self.every = path, int(every)
        self.every_batches = None if every_batches is None else int(every_batches)
        self.skip_unsupported, self._data = skip_unsupported, data
        self.recorder: Recorder | None = None
        self._linears, self._chain = [], []  # the Linear layers, and netviz's view of them
        self._start = None  # the starting weights, written with the first loss
        self._loss = None  # the last loss training_step returned
        self._batches = 0

    def on_train_start(self, trainer, pl_module):
        if trainer.global_rank != 0:
            return
        self._linears, self._chain, notes = dense_chain(pl_module, self.skip_unsupported)
        acts = [d.activation for d in self._chain]
        self.recorder = Recorder(self.path, layer_sizes(self._chain), activations=acts, notes=notes, **self._data)
        self._start, self._batches = arrays(self._linears, self._chain), 0

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        if self.recorder is None:
            return
        loss = outputs.get("loss") if isinstance(outputs, dict) else outputs
        self._loss = None if loss is None else float(loss.detach())
        self._batches += 1
        if self._start is not None:
            self.recorder.record(*self._start, loss=self._loss)
            self._start = None
        if self.every_batches and self._batches % self.every_batches == 0:
            self.recorder.record(*arrays(self._linears, self._chain), loss=self._loss)

    def on_train_epoch_end(self, trainer, pl_module):
        if self.recorder is not None and self.every_batches is None and (trainer.current_epoch + 1) % self.every == 0:
            self.recorder.record(*arrays(self._linears, self._chain), loss=self._loss)

    def on_train_end(self, trainer, pl_module):
        if self.recorder is not None:
            self.recorder.close()
            self.recorder = None
