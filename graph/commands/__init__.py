"""The CLI's commands, grouped by concern; each module adds its commands to ``graph.cli.app``."""
