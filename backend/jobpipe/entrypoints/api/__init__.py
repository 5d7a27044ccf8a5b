"""The FastAPI application. `create_app` takes its ports from outside (see composition)."""
