"""Use cases, written against the ports in `ports.py`, never against concrete adapters."""
