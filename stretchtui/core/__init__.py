"""stretchtui's core: pure Python, never imports Textual (a test enforces it).

Three layers, one folder each; domain imports neither of the others and
storage does not import reports (a test checks):

* :mod:`.domain` — the model: stretches and routines (``models``, ``catalog``),
  the clinical rules and warnings (``clinical``, ``rules``, ``red_flags``,
  ``session_rules``, ``flare``), the player's timeline and engine
  (``timeline``, ``player``, ``cues``), sessions (``session``), progression,
  check-ins and PSFS (``progression``, ``checkin``, ``psfs``), poses and the
  builder's model. No files.
* :mod:`.storage` — where things are kept: the data folder's store
  (``store`` on the locked, atomic ``storage`` layer, one ``writer`` thread
  for the app), routine and history files, the config file, the reminder
  schedule, export file names and paths, finding a routine by name or file
  (``lookup``).
* :mod:`.reports` — what is made for people to read: history statistics and
  the clinician summary (``history``), the printable handout, figure
  drawings, calendar files.

Beside them: ``errors``, ``clock`` (injected time), ``text`` (cleaning text
for display) and ``validate`` (shared checks of data files).
"""
