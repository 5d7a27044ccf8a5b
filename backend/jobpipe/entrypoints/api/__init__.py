"""The FastAPI application. `create_app` takes its services from outside (see composition)."""
