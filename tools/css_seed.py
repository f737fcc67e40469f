"""The CSS rules stretchtui ships for a first launch (``stretchtui/ui/css-rules.seed``).

``python tools/css_seed.py`` runs the app headless on a new data folder with
the default theme, through what a new user sees first (the first-run notice,
then each mode, help and the command palette), and writes the rules Textual
parsed on the way to the seed (see ``stretchtui/ui/css_cache.py``). A source
whose key was in the seed already keeps its bytes there, so the file changes
only when the CSS does. tests/ui/test_css_cache.py fails when the notice's
or the catalog's CSS is not in the seed: run this then.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

if not __package__:  # run as `python tools/NAME.py`: import this checkout's package
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stretchtui.core.clock import FakeClock
from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.storage.store import open_store
from stretchtui.ui import css_cache
from stretchtui.ui.app import make_app
from stretchtui.ui.modes import MODE_KEYS

SIZE = (80, 24)


async def parsed_rules(folder: Path, notice: bool = True) -> dict[bytes, bytes]:
    """The rules (key -> pickled rules) the first screens parse, with no cache or seed: a new
    user's (the notice first) or, ``notice`` False, a returning user's whose cache folder was
    emptied (the catalog first: Textual's own sources are then parsed in another order)."""
    store = open_store(folder / "data")
    try:
        app = make_app(store, load_catalog(), FakeClock(), show_notice=notice, restore=False)
        app.keep_parsed_css(folder / css_cache.FILE_NAME, seed=None)
        async with app.run_test(size=SIZE, tooltips=True, notifications=True) as pilot:
            await pilot.pause()
            if notice:
                await pilot.press("enter")  # the notice read: the catalog
                await pilot.pause()
            for _mode, key, _label, _description in MODE_KEYS:
                await pilot.press(key)
                await pilot.pause()
            await pilot.press("1")
            for key in ("question_mark", "escape", "ctrl+p", "escape"):  # help, the palette
                await pilot.press(key)
                await pilot.pause()
        disk = getattr(app.stylesheet, "disk", None)
        if disk is None or not disk.save():
            raise SystemExit("css_seed: the app parsed no CSS (was the stylesheet replaced?)")
        return css_cache.read_table_file(folder / css_cache.FILE_NAME)
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=css_cache.SEED_PATH)
    args = parser.parse_args(argv)
    new: dict[bytes, bytes] = {}
    for notice in (True, False):
        with tempfile.TemporaryDirectory() as tmp:
            new.update(asyncio.run(parsed_rules(Path(tmp), notice)))
    old = css_cache.read_seed(args.output) if args.output.exists() else {}
    table = {key: old.get(key, blob) for key, blob in new.items()}  # unchanged sources keep their bytes
    if table == old:
        print(f"{args.output}: up to date ({len(table)} sources)")
        return 0
    css_cache.write_seed(args.output, table)
    print(f"{args.output}: {len(table)} sources ({len(set(table) - set(old))} new, {len(set(old) - set(table))} gone)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
