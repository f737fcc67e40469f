"""Developer tools beside the package (not in the wheel): run them from a checkout.

``python tools/manpage.py -o man/stretchtui.1``, ``python tools/screenshots.py``,
``python tools/figure_sheet.py``.
"""
