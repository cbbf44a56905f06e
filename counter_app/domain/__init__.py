"""Pure-Python core: no Qt, SQL, HTTP or reportlab imports here (tests/unit/test_layers.py checks)."""
