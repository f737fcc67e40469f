"""What is made from the history and the catalog for people to read: statistics, the clinician summary, the handout, figures, calendars."""
