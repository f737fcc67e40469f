"""The domain model: stretches, routines, sessions, the clinical rules and the player's timeline (pure, no files)."""
