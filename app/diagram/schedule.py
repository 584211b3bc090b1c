"""The animation's script for one example: the equations in the order backprop computes them (Qt-free).

Each :class:`Step` is one equation at one layer; steps of the same pass and layer share a ``group``
(the "one layer" grain). Forward, l = 1 … L: z = W a′ + b, then a = σ(z). Backward, at the output:
Fact 1 (dC/daᴸ), Fact 2 (δᴸ), Facts 3 and 5 (∂C/∂b, ∂C/∂W); then for each layer below: Fact 6
(dC/da′ = Wᵀ δ from the layer above), Fact 2, Facts 3 and 5. Last, the update ΔW = −η ∂C/∂W.
"""

from dataclasses import dataclass

SUPERSCRIPTS = str.maketrans("0123456789L", "⁰¹²³⁴⁵⁶⁷⁸⁹ᴸ")


def sup(n):
    """A layer number as a superscript: 2 → '²'."""
    return str(n).translate(SUPERSCRIPTS)


@dataclass(frozen=True)
class Step:
    """One equation at one layer. ``kind`` is one of 'z', 'a', 'dC_da', 'delta', 'nabla', 'update';
    ``layer`` is 1 … L (0 for the update, which is every layer's); ``direction`` is 'forward',
    'backward' or 'update'."""

    kind: str
    layer: int
    group: int
    direction: str
    equation: str
    note: str


def build_schedule(n_layers, cost=None):
    """The steps for a network with ``n_layers`` layers of weights; ``cost`` is its cost class.

    A cost whose σ′ cancels (cross-entropy) gets δᴸ = aᴸ − y without σ′, as :meth:`Cost.delta` computes.
    """
    steps, L = [], n_layers

    def add(kind, layer, direction, equation, note):
        group = 0 if not steps else steps[-1].group + _new_group(steps, direction, layer)
        steps.append(Step(kind, layer, group, direction, equation, note))

    for l in range(1, L + 1):
        u = sup(l)
        add("z", l, "forward", f"z{u} = W{u} {_a(l - 1)} + b{u}",
            "each neuron sums its inputs, weighted, and adds its bias")
        add("a", l, "forward", f"a{u} = σ(z{u})", "the sigmoid squashes each z into (0, 1)")
    cancels = bool(cost is not None and cost.sigma_prime_cancels)
    fact1 = cost.dC_da_formula if cost is not None else "Fact 1: dC/daᴸ = aᴸ − y"
    for l in range(L, 0, -1):
        u = sup(l)
        if l == L:
            add("dC_da", l, "backward", fact1, "how the cost changes with each output")
            if cancels:
                add("delta", l, "backward", "δᴸ = dC/dzᴸ = aᴸ − y", "σ′(zᴸ) cancels for this cost")
            else:
                add("delta", l, "backward", "Fact 2: δᴸ = dC/daᴸ ⊙ σ′(zᴸ)", "the error of each output neuron")
        else:
            up = sup(l + 1)
            add("dC_da", l, "backward", f"Fact 6: dC/da{u} = (W{up})ᵀ δ{up}",
                "the error flows back along the same weights")
            add("delta", l, "backward", f"Fact 2: δ{u} = dC/da{u} ⊙ σ′(z{u})", "scaled by each neuron's slope σ′")
        add("nabla", l, "backward", f"Facts 3, 5: ∂C/∂b{u} = δ{u},  ∂C/∂W{u} = δ{u} ⊗ {_a(l - 1)}",
            "each weight's gradient is its input's activation times its neuron's error")
    add("update", 0, "update", "ΔW = −η ∂C/∂W,  Δb = −η ∂C/∂b", "every weight and bias takes one step downhill")
    return steps


def _a(l):
    """aˡ by name; a⁰ is the input x."""
    return f"a{sup(l)}" if l > 0 else "x"


def _new_group(steps, direction, layer):
    return (steps[-1].direction, steps[-1].layer) != (direction, layer)


def group_end(steps, index):
    """The index of the last step in the group of step ``index``."""
    g = steps[index].group
    while index + 1 < len(steps) and steps[index + 1].group == g:
        index += 1
    return index
