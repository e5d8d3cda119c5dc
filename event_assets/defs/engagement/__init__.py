"""The `engagement` domain: play activity in a children's learning app (see README)."""
