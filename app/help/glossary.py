"""Every symbol the views show, defined in words: :data:`GLOSSARY` and :func:`tip` for tooltips.

Keys are written as the views write them, with ˡ standing for any layer number: ``tip("z³")`` finds
"zˡ" and says "here l = 3". No Qt here, so any module (or a test) may use it.
"""

import re

GLOSSARY = {
    # the network
    "x": "The input: the 784 pixel values of one image, 0 (black) to 1 (white), a column vector (784,).",
    "y": "The target: the output the cost compares against, 1 for the correct digit and 0 for the others "
         "(a one-hot column vector (10,)).",
    "L": "The number of layers with weights; layer L is the output layer.",
    "l": "A layer's number: 1 is the first layer after the input, L the output layer.",
    "n_in": "How many inputs a layer has (the neurons of the layer below, or 784 pixels).",
    "n_out": "How many neurons a layer has.",
    "Wˡ": "The weights of layer l: a matrix (n_out, n_in). Row j holds the weights into neuron j, "
          "column k those out of neuron k of the layer below.",
    "wⱼₖ": "One weight: from neuron k of the layer below into neuron j of this layer.",
    "bˡ": "The biases of layer l, one per neuron: a column vector (n_out,).",
    "zˡ": "The weighted input of layer l: zˡ = Wˡ aˡ⁻¹ + bˡ, one number per neuron, before σ.",
    "aˡ": "The activations of layer l, aˡ = σ(zˡ): what its neurons output, each between 0 and 1.",
    "aᴸ": "The output layer's activations: the network's answer, one number per digit.",
    "aˡ⁻¹": "The activations of the layer below (the input x for layer 1); the derivation writes a′.",
    "a′": "The activations of the previous layer, aˡ⁻¹ (the input x for layer 1).",
    "σ": "The sigmoid, σ(z) = 1 / (1 + e⁻ᶻ): squashes any z into (0, 1).",
    "σ′(z)": "The sigmoid's slope, σ′(z) = σ(z)(1 − σ(z)) = a(1 − a): at most ¼ (at z = 0) and near 0 "
             "for a saturated neuron (a near 0 or 1), which then learns slowly.",
    "softmax": "The log-likelihood cost's output layer: aⱼ = e^zⱼ / Σₖ e^zₖ, outputs that are positive and "
               "add up to 1, read as probabilities.",
    # the cost and its derivatives
    "C": "The cost: one number saying how wrong the output is for this example (0 when it is exactly y).",
    "C₀": "The cost without the L2 term.",
    "quadratic cost": "C = ½‖y − aᴸ‖²: half the squared distance from the output to the target; the "
                      "derivation's cost. Fact 1 is dC/daᴸ = aᴸ − y.",
    "cross-entropy": "C = −Σⱼ [yⱼ ln aⱼ + (1 − yⱼ) ln(1 − aⱼ)]: with sigmoid outputs σ′ cancels, so "
                     "δᴸ = aᴸ − y and a saturated wrong output still learns fast.",
    "log-likelihood": "C = −ln aᴸ_y, minus the log of the output for the correct digit, with a softmax "
                      "output layer; δᴸ = aᴸ − y.",
    "dC/daˡ": "How the cost changes as each activation of layer l changes: a gradient, one number per "
              "neuron (n_out,). Fact 1 at the output, Fact 6 of the layer above elsewhere.",
    "dC/daᴸ": "Fact 1: how the cost changes with each output; for the quadratic cost aᴸ − y.",
    "dC/dzˡ": "How the cost changes with each neuron's weighted input: δˡ, the layer's error (Fact 2).",
    "δˡ": "The error of layer l, δˡ = ∂C/∂zˡ: how much the cost changes when a neuron's weighted input "
          "changes. Fact 2 computes it; facts 3–6 are built from it.",
    "δᴸ": "The output layer's error ∂C/∂zᴸ: facts 1 and 2 together.",
    "dC/dbˡ": "How the cost changes with each bias of layer l; equal to δˡ (Fact 3).",
    "∂C/∂bˡ": "How the cost changes with each bias of layer l; equal to δˡ (Fact 3). A step moves each "
              "bias by −η times it.",
    "∂C/∂wˡ": "How the cost changes with each weight of layer l: a matrix the shape of Wˡ, "
              "(n_out, n_in) (Fact 5); one entry is a′ₖ δⱼ (Fact 4).",
    "∂C/∂wⱼₖ": "Fact 4: the slope for the weight from neuron k below into neuron j, a′ₖ δⱼ: the "
               "activation flowing along the weight times the error at its end.",
    "∂C/∂W": "All the weights' slopes of a layer as one matrix (n_out, n_in); the derivation writes D_W C.",
    "D_W C": "The derivation's matrix of partial derivatives of C with respect to every weight of a layer: "
             "entry (j, k) is ∂C/∂wⱼₖ, so it has W's shape (n_out, n_in). Fact 5: δ ⊗ a′.",
    "d": "The derivation's gradient: d_x C is the column of the partial derivatives ∂C/∂xᵢ, one per "
         "entry of x (the views write dC/dx).",
    "D": "The derivation's matrix of partial derivatives: D_u x has one entry ∂xⱼ/∂uᵢ per pair; D_W C "
         "has one entry per weight.",
    "dC/dx": "How the cost changes with each input pixel (Fact 6 carried to the input, x = a⁰): a pixel with a "
             "positive value, made brighter, would raise the cost; a negative one would lower it.",
    "dC/da′": "Fact 6: how the cost changes with the activations of the layer below, Wᵀ δ.",
    "Wᵀ": "W transposed (n_in, n_out): it sends each neuron's error back along the weights it came "
          "through, to the neuron of the layer below at the weight's start (Fact 6).",
    "‖∂C/∂bˡ‖": "The learning speed of layer l: the length of the biases' gradient, √Σ (∂C/∂b)², how "
                "fast the layer's biases are changing. Early layers often learn far slower.",
    # operations
    "⊙": "The Hadamard product: multiply two vectors entry by entry, (u ⊙ v)ⱼ = uⱼ vⱼ.",
    "⊗": "The outer product: u ⊗ v = u vᵀ, the matrix whose entry (j, k) is uⱼ vₖ.",
    "Σ": "The sum over the index below it.",
    # training
    "η": "The learning rate: how far each step moves the weights and biases, W ← W − η ∂C/∂W.",
    "ΔW": "The change a step makes to the weights: −η ∂C/∂W (the mean over a mini-batch).",
    "Δb": "The change a step makes to the biases: −η ∂C/∂b (the mean over a mini-batch).",
    "m": "The mini-batch size: how many training images each step averages its gradient over.",
    "n": "The number of training images (in λ/(2n) of L2).",
    "epoch": "One pass over all the training images, in mini-batches of m, in a fresh random order.",
    "λ": "The L2 regularisation strength: the cost gains λ/(2n) Σ w², so every step also shrinks each "
         "weight by the factor (1 − ηλ/n). 0 is off.",
    "N(0, 1)": "Weights drawn from a normal distribution with mean 0 and standard deviation 1 (the book's "
               "first initialisation); a neuron with many inputs then often starts saturated.",
    "N(0, 1/n_in)": "Weights drawn from a normal distribution with mean 0 and variance 1/n_in (standard "
                    "deviation 1/√n_in), so z starts small and the sigmoids are not saturated.",
}

_SUPERSCRIPT_NUMBER = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_ALIASES = {"λ (L2)": "λ", "m (mini-batch size)": "m", "quadratic": "quadratic cost",
            "∂C/∂b": "∂C/∂bˡ", "∂C/∂w": "∂C/∂wˡ", "δ": "δˡ", "z": "zˡ", "a": "aˡ", "W": "Wˡ", "b": "bˡ",
            "dC/da": "dC/daˡ", "dC/dz": "dC/dzˡ", "dC/db": "dC/dbˡ", "σ′(zˡ)": "σ′(z)", "σ′": "σ′(z)",
            "(Wˡ)ᵀ": "Wᵀ", "aˡ(1 − aˡ)": "σ′(z)", "a⁰": "x"}


def lookup(symbol):
    """(the GLOSSARY key ``symbol`` stands for, the layer number it names or None); key None if unknown.

    "z³" → ("zˡ", 3); "dC/dzᴸ" → ("dC/dzˡ", None); "λ (L2)" → ("λ", None).
    """
    symbol = symbol.strip()
    found = _key(symbol)
    if found:
        return found, None
    numbers = _SUPERSCRIPT_NUMBER.findall(symbol)
    generic = _SUPERSCRIPT_NUMBER.sub("ˡ", symbol)
    for candidate in (generic, generic.replace("ᴸ", "ˡ"), symbol.replace("ᴸ", "ˡ")):
        found = _key(candidate)
        if found:
            return found, (int(numbers[0].translate(_DIGITS)) if numbers else None)
    return None, None


def _key(symbol):
    symbol = _ALIASES.get(symbol, symbol)
    return symbol if symbol in GLOSSARY else None


def tip(symbol):
    """The tooltip for ``symbol`` as the views write it ("η", "δ²", "‖∂C/∂bˡ‖"): the symbol, then its
    definition in words; "" for a symbol the glossary does not know."""
    key, layer = lookup(symbol)
    if key is None:
        return ""
    here = f" (here l = {layer})" if layer is not None else ""
    return f"{symbol}{here}: {GLOSSARY[key]}"
