"""The `schools` domain: tablets in pre-primary schools (see README, "The schools domain")."""
