"""import-linter's `layers` contract for w2's folders, which are portions of the namespace package `w2`.

grimp builds a graph for a namespace portion such as `w2.platform` without a node for the portion
itself (and with a stray node named after the folder), so the stock contract reports the layer as
missing. This contract adds the portions' own nodes, drops the stray ones, then checks as usual.
"""

from __future__ import annotations

import grimp
from importlinter.contracts.layers import LayersContract
from importlinter.domain.contract import ContractCheck


class NamespaceLayersContract(LayersContract):
    """The stock layers contract, on a graph that knows the namespace portions as modules."""

    type_name = "namespace_layers"

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        for module in list(graph.modules):
            if not module.startswith("w2."):
                graph.remove_module(module)
        for layer in self.layers:  # type: ignore[attr-defined]  # fields are set by import-linter
            for tail in layer.module_tails:
                if tail.name not in graph.modules:
                    graph.add_module(tail.name)
        return super().check(graph, verbose)
