"""Writes of the hall (only services write): settings and windows (`setup`), tickets and
calling (`queue`), appointments (`appointments`). Each takes `actor=` where a person acts."""
