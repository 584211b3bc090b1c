"""The network diagram: one example flowing forward and backward through every neuron, step by step."""
