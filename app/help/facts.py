"""Facts 1–6 of the derivation in words, and Fact 1 for each cost of nncore (no Qt here).

Texts meant for hover definitions are written in a small markup: ``{δ²}`` is a symbol (its tooltip
comes from :func:`app.help.glossary.tip`), ``{shown|key}`` a symbol shown one way and defined under
``key``, ``{Fact 5}`` (or ``{any text|fact:5}``) a link to fact 5 of the derivation dialog.
"""

import re
from dataclasses import dataclass

from .glossary import lookup

_TOKEN = re.compile(r"\{([^{}|]+)(?:\|([^{}]+))?\}")
_FACT = re.compile(r"^[Ff]acts? (\d)")


def parse(markup):
    """``markup`` as a list of ``(kind, text, target)``: kind 'text', 'symbol' (target: its glossary
    spelling) or 'fact' (target: the fact's number)."""
    tokens, at = [], 0
    for m in _TOKEN.finditer(markup):
        if m.start() > at:
            tokens.append(("text", markup[at:m.start()], None))
        shown, target = m.group(1), m.group(2)
        fact = _FACT.match(shown) if target is None else None
        if target and target.startswith("fact:"):
            tokens.append(("fact", shown, int(target[5:])))
        elif fact:
            tokens.append(("fact", shown, int(fact.group(1))))
        else:
            tokens.append(("symbol", shown, target or shown))
        at = m.end()
    if at < len(markup):
        tokens.append(("text", markup[at:], None))
    return tokens


def plain(markup):
    """``markup`` as plain text (the braces and targets dropped)."""
    return "".join(text for _kind, text, _target in parse(markup))


def symbols(markup):
    """The glossary spellings of the symbols ``markup`` marks, in order, each once."""
    return list(dict.fromkeys(target for kind, _text, target in parse(markup) if kind == "symbol"))


def unknown_symbols(markup):
    """Marked symbols the glossary does not define (a test keeps this empty for every heading)."""
    return [s for s in symbols(markup) if lookup(s)[0] is None]


@dataclass(frozen=True)
class Fact:
    """One fact: its name, the derivation's form (HTML, gradients d and matrices D), the ∂/δ form the
    views use (HTML), plain words, what its symbols mean and the shapes involved."""

    number: int
    name: str
    derivation: str
    views: str
    words: str
    symbols: tuple
    shapes: str


FACTS = {f.number: f for f in (
    Fact(1, "where backprop starts: the cost's slope at the output",
         "<b>d</b><sub>a<sup>L</sup></sub>C = a<sup>L</sup> − y",
         "∂C/∂a<sup>L</sup> = a<sup>L</sup> − y &nbsp;(the inspector writes dC/daᴸ)",
         "How the cost changes as each output changes. For the quadratic cost it is simply how far each "
         "output is from its target: too high gives a positive number, too low a negative one. Other "
         "costs have their own fact 1 (below).",
         ("aᴸ", "y", "C", "dC/daᴸ"), "aᴸ, y and dC/daᴸ are column vectors (n_L,), (10,) for digits."),
    Fact(2, "the error δ of each neuron",
         "<b>d</b><sub>z</sub>C = <b>d</b><sub>a</sub>C ⊙ σ′(z)",
         "δ<sup>l</sup> = ∂C/∂z<sup>l</sup> = ∂C/∂a<sup>l</sup> ⊙ σ′(z<sup>l</sup>)",
         "A neuron's error is how the cost changes with its weighted input z. Since a = σ(z) neuron by "
         "neuron, it is the slope through the sigmoid, entry by entry: a saturated neuron (σ′ ≈ 0) "
         "passes almost nothing back and learns slowly.",
         ("zˡ", "σ′(z)", "δˡ", "⊙"), "All three vectors are (n_out,): one number per neuron of the layer."),
    Fact(3, "the biases' gradient",
         "<b>d</b><sub>b</sub>C = <b>d</b><sub>z</sub>C",
         "∂C/∂b<sup>l</sup> = δ<sup>l</sup>",
         "A bias adds straight into its neuron's z (z = W a′ + b), so the cost's slope with respect to a "
         "bias is exactly that neuron's error.",
         ("bˡ", "∂C/∂bˡ", "δˡ"), "(n_out,), the shape of the layer's biases b."),
    Fact(4, "one weight's slope",
         "<b>d</b><sub>w<sub>k</sub></sub>C = a′<sub>k</sub> <b>d</b><sub>z</sub>C &nbsp;(column k of W)",
         "∂C/∂w<sup>l</sup><sub>jk</sub> = a<sup>l−1</sup><sub>k</sub> δ<sup>l</sup><sub>j</sub>",
         "The weight from neuron k below into neuron j matters as much as the activation flowing along it "
         "times the error at its end: a weight fed by a neuron that is off (a′ₖ ≈ 0) barely learns.",
         ("wⱼₖ", "a′", "δˡ"), "Column k of D_W C is a′ₖ times the (n_out,) vector d_z C."),
    Fact(5, "all the weights' slopes at once",
         "<b>D</b><sub>W</sub>C = <b>d</b><sub>z</sub>C ⊗ a′",
         "∂C/∂W<sup>l</sup> = δ<sup>l</sup> (a<sup>l−1</sup>)<sup>T</sup>",
         "Fact 4 for every weight together: the outer product of the errors (one row per neuron j) and "
         "the incoming activations (one column per input k). It has the weights' shape, so a step is "
         "simply W ← W − η D_W C.",
         ("D_W C", "∂C/∂wˡ", "⊗", "a′"), "(n_out,) ⊗ (n_in,) → (n_out, n_in), the shape of W."),
    Fact(6, "carrying the error back one layer",
         "<b>d</b><sub>a′</sub>C = W<sup>T</sup> <b>d</b><sub>z</sub>C",
         "∂C/∂a<sup>l−1</sup> = (W<sup>l</sup>)<sup>T</sup> δ<sup>l</sup>",
         "How the cost changes with the activations of the layer below: each neuron there collects the "
         "errors of the neurons it feeds, weighted by the weights between them. This is the layer below's "
         "dC/da, where facts 2–6 repeat; at layer 1 it is dC/dx, the slope for each input pixel.",
         ("Wᵀ", "dC/da′", "dC/dx"), "Wᵀ is (n_in, n_out); times the (n_out,) error it gives (n_in,)."),
)}


@dataclass(frozen=True)
class CostFact1:
    """Fact 1 for one cost: its dC/daᴸ (markup), its δᴸ when σ′ cancels (markup, or None: Fact 2 as
    usual), and plain words."""

    dC_da: str
    delta: str
    words: str


COST_FACT1 = {
    "quadratic": CostFact1(
        "{dC/daᴸ} = {aᴸ} − {y}", None,
        "C = ½‖y − aᴸ‖². Fact 1 is how far each output is from its target; fact 2 then multiplies by "
        "σ′(zᴸ), so an output stuck near 0 or 1 learns slowly even when it is badly wrong."),
    "cross-entropy": CostFact1(
        "{dC/daᴸ} = ({aᴸ} − {y}) / ({aᴸ}(1 − {aᴸ}))", "{δᴸ} = {aᴸ} − {y}",
        "C = −Σ [y ln aᴸ + (1 − y) ln(1 − aᴸ)]. Fact 1's denominator aᴸ(1 − aᴸ) is exactly σ′(zᴸ), which "
        "fact 2 multiplies back in: σ′ cancels, so facts 1 and 2 together give δᴸ = aᴸ − y, and a "
        "saturated wrong output still learns fast."),
    "log-likelihood": CostFact1(
        "{dC/daᴸ} = −{y} / {aᴸ}", "{δᴸ} = {aᴸ} − {y}",
        "C = −ln aᴸ_y with a softmax output layer. Fact 2 does not apply at the output (each softmax output "
        "depends on every z): the softmax's slopes times −y / aᴸ give δᴸ = aᴸ − y directly, facts 1 and 2 "
        "in one. The layers below use facts 2–6 as usual."),
}


def cost_fact1(cost):
    """:class:`CostFact1` of ``cost`` (an nncore cost class), by its name; for a cost this table does
    not know yet, one built from what the cost declares (its ``dC_da_formula``, ``sigma_prime_cancels``)."""
    known = COST_FACT1.get(cost.name)
    if known is not None:
        return known
    formula = cost.dC_da_formula.removeprefix("Fact 1: ").replace("{", "(").replace("}", ")")
    return CostFact1(formula, "{δᴸ} = {dC/dzᴸ}" if cost.sigma_prime_cancels else None, "")


def equation(fact, layer, n_layers, cost):
    """Fact ``fact`` (1–6) at ``layer`` (1 … ``n_layers``; the output is written ᴸ) of a network with
    ``cost`` (an nncore cost class), as markup: "{Fact 2}: {dC/dz²} = {dC/da²} ⊙ {σ′(z²)}"."""
    u = "ᴸ" if layer == n_layers else _sup(layer)
    below, below_key = ("x", "x") if layer == 1 else (f"a{_sup(layer - 1)}", "aˡ⁻¹")
    if fact == 1:
        return f"{{Fact 1}} ({{{cost.name}}}): {cost_fact1(cost).dC_da}"
    return {
        2: f"{{Fact 2}}: {{dC/dz{u}}} = {{dC/da{u}}} ⊙ {{σ′(z{u})}}",
        3: f"{{Fact 3}}: {{dC/db{u}}} = {{dC/dz{u}}}",
        4: f"{{Fact 4}}: {{∂C/∂wⱼₖ}} = {{{below}ₖ|{below_key}}} {{δ{u}ⱼ|δˡ}}",
        5: f"{{Fact 5}}: {{D_W C}} = {{dC/dz{u}}} ⊗ {{{below}|{below_key}}}",
        6: f"{{Fact 6}}: {{dC/d{below}|{'dC/dx' if layer == 1 else 'dC/da′'}}} = {{(W{u})ᵀ|Wᵀ}} {{dC/dz{u}}}",
    }[fact]


def delta_equation(cost):
    """δᴸ as Fact 1 for a cost whose σ′ cancels (markup), saying that it is facts 1 and 2 in one; None
    for a cost whose δᴸ comes from Fact 2 as usual."""
    delta = cost_fact1(cost).delta
    if not cost.sigma_prime_cancels or delta is None:
        return None
    why = "σ′ cancels" if cost.output == "sigmoid" else f"no σ′ at a {{{cost.output}}} output"
    return f"{{Fact 1}} ({{{cost.name}}}): {delta}, facts 1 and 2 in one ({why})"


def _sup(n):
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
