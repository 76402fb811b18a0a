"""Supervision (监督): satisfaction ratings (好差评) and their follow-up, for now."""
