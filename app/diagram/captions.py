"""The line under each equation: what this step computed for this example, read from the trace."""

import numpy as np

from .network_diagram import LIT_EDGES
from .numbers_panel import fmt
from .schedule import sup


def _largest(values, what):
    k = int(np.argmax(np.abs(values)))
    return f"largest |{what}| = {fmt(abs(values[k]))} (neuron {k})"


def step_summary(step, tr, cost_after=None, eta=None, kept=True):
    """One line of numbers for ``step`` of trace ``tr``; ``cost_after`` is C after the update, if known,
    with η ``eta``; ``kept`` says whether 'Next example' keeps the update (not for a test image)."""
    l, L = step.layer, len(tr.zs)
    if step.kind == "z":
        z = tr.zs[l - 1]
        return f"z{sup(l)} runs from {fmt(z.min())} to {fmt(z.max())} over {z.size} neurons"
    if step.kind == "a":
        a = tr.activations[l]
        if l == L:
            guess = int(np.argmax(a))
            return (f"the network reads {guess} (a = {a[guess]:.3f}); the target is y = {tr.label} "
                    f"(a = {a[tr.label]:.3f})")
        return f"{int(np.sum(a > 0.5))} of {a.size} neurons are above ½; {int(np.sum(a < 0.01))} are nearly off"
    if step.kind == "dC_da":
        prefix = f"C = {fmt(tr.cost)}; " if l == L else ""
        return prefix + _largest(tr.dC_da[l - 1], f"dC/da{sup(l)}")
    if step.kind == "delta":
        saturated = int(np.sum(tr.sigma_prime[l - 1] < 0.01))
        return _largest(tr.dC_dz[l - 1], f"δ{sup(l)}") + f"; σ′ < 0.01 for {saturated} of them"
    if step.kind == "nabla":
        g = tr.nabla_w[l - 1]
        j, i = np.unravel_index(int(np.argmax(np.abs(g))), g.shape)
        return f"largest |∂C/∂w{sup(l)}| = {fmt(abs(g[j, i]))} (w{sup(l)} from {i} to neuron {j})"
    if step.kind == "update":
        after = "" if cost_after is None else f" → {fmt(cost_after)}"
        with_eta = "" if eta is None else f" with η = {eta:g}"
        keep = ("'Next example' keeps this step in the diagram's copy" if kept
                else "shown, not kept: the diagram learns only from training images and your drawing")
        return f"this example's cost C: {fmt(tr.cost)}{after}{with_eta} ({keep})"
    return ""


def step_caption(steps, index, tr, cost_after=None, eta=None, kept=True):
    """``(equation, summary)`` for people: the step's equation and where it is; what it computed
    (``cost_after``, ``eta`` and ``kept`` as in :func:`step_summary`)."""
    step = steps[index]
    where = f"{step.direction}, layer {step.layer}" if step.layer else "update"
    # where the step is: in the text's colour (a fixed grey was unreadable on the dark theme), not bold
    equation = (f"{step.equation}      <span style='font-weight: normal'><small>({where}, "
                f"step {index + 1} of {len(steps)})</small></span>")
    lights = step.kind in ("z", "nabla", "update") or (step.kind == "dC_da" and step.layer < len(tr.zs))
    lit = f" · lit: the strongest {LIT_EDGES:,} terms of each layer" if lights else ""
    return equation, f"{step.note}: {step_summary(step, tr, cost_after, eta, kept)}{lit}"
