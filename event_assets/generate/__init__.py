"""Sample-data generators, one module per domain.

Each module writes realistic, seeded and reproducible landing files for its domain (including the
dirt the pipeline must quarantine); ``python -m event_assets.generate DOMAIN ...`` is the CLI.
"""
