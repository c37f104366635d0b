"""autograd_notes: a small scalar autograd engine and neural-net library, after micrograd.

The package is written for the study notes of Andrej Karpathy's lecture "The spelled-out intro
to neural networks and backpropagation: building micrograd". It follows the structure and the
public API of micrograd (https://github.com/karpathy/micrograd) on purpose, so that the lecture's
code runs on it: ``Value`` with ``data``, ``grad`` and ``backward()``, the same ops, and
``Neuron``, ``Layer`` and ``MLP`` with ``parameters()``. Its code is written anew for these notes.

micrograd is Copyright (c) 2020 Andrej Karpathy, under the MIT License; its notice is in the
NOTICE file of this repository. autograd_notes is under the MIT License too (LICENSE).
"""

from .engine import Value
from .nn import MLP, Layer, Module, Neuron

__all__ = ["Value", "Module", "Neuron", "Layer", "MLP"]
__version__ = "0.1.0"
