"""Pure rules of the organisation tree (no Django import)."""
