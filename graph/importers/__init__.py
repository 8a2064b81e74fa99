"""Importers: turn external datasets (AIID snapshots, TopAIThreats pages) into harmgraph RDF.

Importers only *produce* RDF; :mod:`graph.ingest` validates it and writes it to the store.
"""
