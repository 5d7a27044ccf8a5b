"""Entrypoints: the HTTP API, the worker process, and the one composition root wiring them."""
