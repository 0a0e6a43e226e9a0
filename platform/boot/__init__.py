"""The composition root: the only code that imports every domain (app, worker, CLI, demo, model registry)."""
