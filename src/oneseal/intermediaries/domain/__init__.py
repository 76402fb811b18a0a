"""The intermediary marketplace (中介超市) in pure Python: the verifiable draw, the
selection methods and the credit rules. No Django here (mypy --strict)."""
