"""Neurons, layers and MLPs: sizes, both styles, micrograd's initial weights, gradients, errors."""

import math
import random

import pytest

from autograd_notes import MLP, Layer, Neuron, Value


def test_parameter_counts():
    # (3*4 + 4) + (4*4 + 4) + (4*1 + 1) and (2*16 + 16) + (16*16 + 16) + (16*1 + 1)
    assert len(MLP(3, [4, 4, 1]).parameters()) == 41
    assert len(MLP(2, [16, 16, 1], style="micrograd").parameters()) == 337
    assert len(Layer(3, 4).parameters()) == 16
    assert len(Neuron(5).parameters()) == 6


def test_lecture_style_is_tanh_everywhere_with_random_bias():
    n = MLP(3, [4, 4, 1], style="lecture", rng=random.Random(0))
    neurons = [neuron for layer in n.layers for neuron in layer.neurons]
    assert {neuron.act for neuron in neurons} == {"tanh"}
    assert all(neuron.b.data != 0.0 and -1 <= neuron.b.data <= 1 for neuron in neurons)
    out = n([2.0, 3.0, -1.0])
    assert out._op == "tanh" and -1 < out.data < 1


def test_micrograd_style_is_relu_then_linear_with_zero_bias():
    n = MLP(2, [16, 16, 1], style="micrograd", rng=random.Random(0))
    assert [{neuron.act for neuron in layer.neurons} for layer in n.layers] == [{"relu"}, {"relu"}, {"linear"}]
    assert all(neuron.b.data == 0.0 for layer in n.layers for neuron in layer.neurons)
    out = n([0.5, -1.0])
    assert out._op == "dot"  # linear output: no activation node on top


def reference_draws(seed, sizes, bias_drawn):
    """What micrograd draws: U(-1, 1) per weight, neuron by neuron, layer by layer (and the bias, if drawn)."""
    rng = random.Random(seed)
    params = []
    for nin, nout in zip(sizes, sizes[1:]):
        for _ in range(nout):
            params += [rng.uniform(-1, 1) for _ in range(nin)]
            params.append(rng.uniform(-1, 1) if bias_drawn else 0.0)
    return params


@pytest.mark.parametrize("seed", [1337, 7])
def test_micrograd_style_draws_micrograds_initial_weights(seed):
    n = MLP(2, [16, 16, 1], style="micrograd", rng=random.Random(seed))
    assert [p.data for p in n.parameters()] == reference_draws(seed, [2, 16, 16, 1], bias_drawn=False)


def test_lecture_style_draws_the_bias_after_the_weights():
    n = MLP(3, [4, 4, 1], style="lecture", rng=random.Random(5))
    assert [p.data for p in n.parameters()] == reference_draws(5, [3, 4, 4, 1], bias_drawn=True)


def test_global_random_seed_works_like_micrograds_random_seed():
    random.seed(1337)
    a = MLP(2, [16, 16, 1], style="micrograd")
    b = MLP(2, [16, 16, 1], style="micrograd", rng=random.Random(1337))
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]


def test_same_weights_as_micrograd_itself_when_installed():
    mg = pytest.importorskip("micrograd.nn", reason="micrograd is not installed (it is only a benchmark extra)")
    random.seed(1337)
    theirs = mg.MLP(2, [16, 16, 1])
    ours = MLP(2, [16, 16, 1], style="micrograd", rng=random.Random(1337))
    assert [float(p.data) for p in theirs.parameters()] == [p.data for p in ours.parameters()]


def test_zero_grad_zeroes_every_parameter():
    n = MLP(3, [4, 4, 1], rng=random.Random(1))
    n([2.0, 3.0, -1.0]).backward()
    assert any(p.grad != 0.0 for p in n.parameters())
    n.zero_grad()
    assert all(p.grad == 0.0 for p in n.parameters())


@pytest.mark.parametrize("act", ["tanh", "relu", "linear"])
def test_fused_dot_neuron_equals_the_spelled_out_sum(act):
    rng = random.Random(3)
    neuron = Neuron(4, act=act, rng=rng)
    x = [Value(v) for v in (0.5, -1.5, 2.0, 0.25)]

    fused = neuron(x)
    fused.backward()
    got = [fused.data] + [v.grad for v in neuron.parameters() + x]
    for v in neuron.parameters() + x:
        v.grad = 0.0

    # the lecture's neuron: sum((wi*xi for wi, xi in zip(w, x)), b), then the activation
    s = sum((wi * xi for wi, xi in zip(neuron.w, x)), neuron.b)
    out = {"tanh": s.tanh, "relu": s.relu, "linear": lambda: s}[act]()
    out.backward()
    want = [out.data] + [v.grad for v in neuron.parameters() + x]
    assert got == want


def test_plain_numbers_are_constant_inputs():
    neuron = Neuron(2, act="linear", rng=random.Random(4))
    out = neuron([3.0, -2.0])
    out.backward()
    w0, w1 = neuron.w
    assert out.data == neuron.b.data + w0.data * 3.0 + w1.data * -2.0
    assert (w0.grad, w1.grad, neuron.b.grad) == (3.0, -2.0, 1.0)


def test_reprs_read_like_the_network():
    assert repr(Neuron(3, rng=random.Random(0))) == "TanhNeuron(3)"
    assert repr(Neuron(2, act="relu", rng=random.Random(0))) == "ReLUNeuron(2)"
    assert repr(Layer(2, 2, act="linear", rng=random.Random(0))) == "Layer of [LinearNeuron(2), LinearNeuron(2)]"
    text = repr(MLP(2, [3, 1], style="micrograd", rng=random.Random(0)))
    assert text == (
        "MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2), ReLUNeuron(2)], "
        "Layer of [LinearNeuron(3)]]"
    )


def test_a_layer_of_one_returns_a_value_and_wider_layers_a_list():
    assert isinstance(Layer(2, 1, rng=random.Random(0))([1.0, 2.0]), Value)
    outs = Layer(2, 3, rng=random.Random(0))([1.0, 2.0])
    assert isinstance(outs, list) and len(outs) == 3
    assert all(math.isfinite(o.data) for o in outs)


def test_wrong_number_of_inputs_is_a_clear_error():
    n = MLP(3, [4, 4, 1], rng=random.Random(0))
    with pytest.raises(ValueError, match="takes 3 inputs, got 2"):
        n([1.0, 2.0])


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: MLP(2, [1], style="pytorch"), "unknown style 'pytorch'"),
        (lambda: Neuron(2, act="sigmoid"), "unknown activation 'sigmoid'"),
        (lambda: Neuron(2, bias="zeros"), "unknown bias 'zeros'"),
        (lambda: Neuron(0), "int >= 1"),
        (lambda: MLP(2, [0]), r"layer 1 of nouts=\[0\] needs a size as an int >= 1, got int 0"),
        (lambda: MLP(2, [4, 1.5]), r"layer 2 of nouts=\[4, 1.5\] needs a size as an int >= 1, got float 1.5"),
        (lambda: MLP(0, [1]), "an MLP needs nin"),
        (lambda: MLP(2, []), "at least one layer size"),
        (lambda: Layer(2, 0), "a layer needs nout"),
    ],
)
def test_bad_configuration_is_a_clear_error(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_a_single_number_as_the_layer_sizes_is_a_clear_error():
    with pytest.raises(TypeError, match=r"nouts must be a list of layer sizes, e.g. \[4, 4, 1\], got 3"):
        MLP(2, 3)


def test_sizes_may_be_any_integer_type():
    np = pytest.importorskip("numpy")
    model = MLP(np.int64(2), [np.int64(3), 1], rng=random.Random(0))
    assert len(model.parameters()) == (2 * 3 + 3) + (3 + 1)
    assert isinstance(model([1.0, 2.0]), Value)
