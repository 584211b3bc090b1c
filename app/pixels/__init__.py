"""Backprop carried to the pixels (Fact 6 at layer 1, dC/dx): what the network looks at in an example,
nudging it until the network reads another digit, and the input each digit's output dreams of."""
