"""Pure rules of the item catalogue: codes, limits, the transfer rule, record validation.

No Django here (import-linter contract); messages are returned as codes with parameters and
turned into Chinese by `oneseal.catalog.messages`.
"""
