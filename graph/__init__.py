"""harmgraph: an open knowledge graph of AI incidents.

The :mod:`graph` package is the knowledge graph itself (model, store, I/O,
validation, importers, network analysis and the CLI). It never imports FastAPI;
the web service lives in :mod:`api`.
"""

from __future__ import annotations

__version__ = "0.1.0"
