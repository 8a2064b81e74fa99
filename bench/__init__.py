"""harmgraph benchmarks: a synthetic data generator and a suite that runs peers side by side.

``python -m bench.run --quick`` (1k and 10k incidents) or ``python -m bench.run`` (adds 100k);
see docs/performance.md.
"""
