"""The harmgraph web service: a thin FastAPI layer over :mod:`graph`."""
