"""Backprop Lab: the Qt application over nncore."""
