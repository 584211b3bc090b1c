"""What one frame of the animation shows, decided from the position in the schedule (Qt-free).

A frame is coats of paint on the nodes (fills: z, then a = σ(z); rings: dC/da, then δ), each with an
opacity, and the flows of edges lit by the step being played (how far along the edges the light has
travelled, and in which direction). The numbers themselves come from the trace when painting.
"""

from dataclasses import dataclass, field

RING_REST = 0.35    # how much of the error rings stays once the update is done


@dataclass(frozen=True)
class Coat:
    """A coat of ``what`` ('z', 'a' for fills; 'dC_da', 'delta' for rings) at ``opacity`` 0–1."""

    what: str
    opacity: float


@dataclass(frozen=True)
class Flow:
    """Edges of ``layer`` lit by nncore.diagram_model.edge_values(kind), drawn ``head`` of the way
    (from the destination end when ``backward``) at ``opacity``."""

    kind: str
    layer: int
    head: float
    backward: bool
    opacity: float


@dataclass(frozen=True)
class Frame:
    """Coats per layer (bottom coat first) and the lit flows."""

    fills: dict = field(default_factory=dict)
    rings: dict = field(default_factory=dict)
    flows: tuple = ()
    outputs_known: bool = False


def ease(t):
    """Smooth start and stop: 3t² − 2t³."""
    return t * t * (3.0 - 2.0 * t)


def step_flows(step, n_layers, t):
    """The flows a step lights, at progress ``t``."""
    head = ease(t)
    if step.kind == "z":
        return (Flow("forward", step.layer, head, False, 1.0),)
    if step.kind == "dC_da" and step.layer < n_layers:
        return (Flow("backward", step.layer + 1, head, True, 1.0),)
    if step.kind == "nabla":
        return (Flow("gradient", step.layer, head, True, 1.0),)
    if step.kind == "update":
        return tuple(Flow("update", l, 1.0, False, t) for l in range(1, n_layers + 1))
    return ()


def frame_at(steps, index, t, n_layers):
    """The :class:`Frame` for step ``index`` of ``steps`` at progress ``t`` (a network of ``n_layers``)."""
    if not steps:
        return Frame()
    where = {(s.kind, s.layer): k for k, s in enumerate(steps)}

    def p(kind, layer):   # how far the step (kind, layer) has got: 0 before it, 1 after it
        k = where.get((kind, layer))
        return 0.0 if k is None or index < k else (t if index == k else 1.0)

    fade = 1.0 - (1.0 - RING_REST) * p("update", 0)
    fills, rings = {}, {}
    for l in range(1, n_layers + 1):
        fills[l] = [c for c in (Coat("z", p("z", l)), Coat("a", p("a", l))) if c.opacity > 0]
        d, e = p("dC_da", l), p("delta", l)
        rings[l] = [c for c in (Coat("dC_da", d * (1.0 - e) * fade), Coat("delta", e * fade)) if c.opacity > 0]
    flows = step_flows(steps[index], n_layers, t)
    if index > 0 and t < 1.0:
        previous = step_flows(steps[index - 1], n_layers, 1.0)
        if previous and (not flows or previous[0].kind != flows[0].kind or previous[0].layer != flows[0].layer):
            flows = tuple(Flow(f.kind, f.layer, 1.0, f.backward, f.opacity * (1.0 - t)) for f in previous) + flows
    return Frame(fills, rings, flows, p("a", n_layers) > 0)
