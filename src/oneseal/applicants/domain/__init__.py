"""Pure rules about applicants (no Django import)."""
