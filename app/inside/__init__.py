"""Looking inside the network: the backprop inspector with its fact panels and saturation plot, the
first layer's weights, and the mistakes (confusion matrix and gallery)."""
