"""autograd_notes: a small scalar autograd engine and neural-net library, after micrograd."""

from .engine import Value
from .nn import MLP, Layer, Module, Neuron

__all__ = ["Value", "Module", "Neuron", "Layer", "MLP"]
__version__ = "0.1.0"
