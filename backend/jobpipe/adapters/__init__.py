"""Adapters to PostgreSQL and Redis. Integration-only: unit tests use fakes instead."""
