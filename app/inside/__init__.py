"""Looking inside the network: the backprop inspector with its fact panels, the first layer's
weights, and the mistakes (confusion matrix and gallery)."""
