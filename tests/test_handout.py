"""The printable handout: well-formed, self-contained, every item with its
figures, dose, steps and the user's cautions, the red flags at the end, and
data never interpreted as HTML."""

import re
from datetime import date
from html import escape
from html.parser import HTMLParser

import pytest

from stretchtui.cli import main
from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.models import Profile, Routine, RoutineItem
from stretchtui.core.reports.handout import (
    HandoutError,
    build_handout,
    dose_text,
    handout_red_flags,
    write_handout,
)
from stretchtui.core.storage.store import open_store

CATALOG = load_catalog()
TODAY = date(2026, 3, 14)
VOID = {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "embed", "source", "track", "wbr"}
SVG_EMPTY = {"line", "circle"}


class Page(HTMLParser):
    """Collects tags, attributes and text, and checks that tags nest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.text: list[tuple[tuple[str, ...], str]] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style":
            self.styles.append(data)
        self.text.append((tuple(self.stack), data))

    def texts_in(self, tag: str) -> list[str]:
        return [t.strip() for stack, t in self.text if stack and stack[-1] == tag and t.strip()]

    def all_text(self) -> str:
        return " ".join(" ".join(t for stack, t in self.text if "style" not in stack).split())


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    assert not page.errors, page.errors[:5]
    assert page.stack == [], f"unclosed: {page.stack}"
    return page


def starter(name: str) -> Routine:
    return next(r for r in CATALOG.starters if r.name == name)


def test_every_item_is_present_with_figures_dose_and_steps():
    routine = starter("Sciatica relief")
    profile = Profile(conditions=("sciatica", "disc-herniation"))
    page = parse(build_handout(routine, CATALOG, profile, today=TODAY))
    headings = page.texts_in("h2")
    for n, item in enumerate(routine.items, 1):
        stretch = CATALOG.get(item.stretch)
        assert f"{n}. {stretch.name}" in headings
    sections = [a for tag, a in page.tags if tag == "section" and a.get("class") == "item"]
    assert len(sections) == len(routine.items)
    # a start and an end figure per item, each an inline svg with a title
    assert sum(1 for tag, _a in page.tags if tag == "svg") == 2 * len(routine.items)
    text = page.all_text()
    assert "Printed 2026-03-14" in text
    first = CATALOG.get(routine.items[0].stretch)
    assert first.steps[0] in text
    assert dose_text(routine.items[0], first) in text


def test_user_conditions_and_only_their_cautions_are_shown():
    routine = Routine("Mixed", items=(RoutineItem("knee-to-chest"), RoutineItem("ankle-pumps")))
    text = parse(build_handout(routine, CATALOG, Profile(conditions=("sciatica",)), today=TODAY)).all_text()
    assert "Your conditions: Sciatica" in text
    caution = next(c for c in CATALOG.get("knee-to-chest").cautions if c.condition == "sciatica")
    assert caution.reason in text
    # osteoporosis is not in the profile: its caution is not printed
    other = [c for c in CATALOG.get("knee-to-chest").cautions if c.condition == "osteoporosis"]
    assert other and other[0].reason not in text
    plain = parse(build_handout(routine, CATALOG, Profile(), today=TODAY)).all_text()
    assert caution.reason not in plain
    assert "none in your profile" in plain


def test_cautions_attach_to_their_own_item():
    routine = Routine("Two", items=(RoutineItem("ankle-pumps"), RoutineItem("knee-to-chest")))
    html = build_handout(routine, CATALOG, Profile(conditions=("sciatica",)), today=TODAY)
    first, second = html.split('id="item-1"')[1].split('id="item-2"')
    assert "Caution:" not in first
    assert "Caution:" in second.split("red-flags")[0]


def test_red_flags_come_last_on_their_own_page():
    html = build_handout(starter("Morning stiffness"), CATALOG, Profile(), today=TODAY)
    page = parse(html)
    text = page.all_text()
    last_item = html.rindex('class="item"')
    flags = html.index('class="red-flags"')
    assert flags > last_item
    for _heading, items in handout_red_flags():
        for item in items:
            assert item in text
    css = "".join(page.styles)
    # The red flags stay in one piece, on the last page with the last stretches when they fit.
    assert "@page" in css and re.search(r"\.red-flags\s*{[^}]*break-inside:\s*avoid", css)
    assert re.search(r"\.item\s*{[^}]*break-inside:\s*avoid", css)


URL_RE = re.compile(r"https?://", re.I)


def test_no_external_resource():
    html = build_handout(starter("Desk neck and upper back"), CATALOG, Profile(conditions=("cervical-radiculopathy",)),
                         today=TODAY)
    page = parse(html)
    for tag, attrs in page.tags:
        assert tag not in ("script", "link", "img", "iframe", "object", "embed"), tag
        for key in ("src", "href", "xlink:href", "srcset", "action", "data"):
            assert not URL_RE.search(attrs.get(key) or ""), (tag, key)
        assert not URL_RE.search(attrs.get("style") or "")
    for css in page.styles:
        assert "@import" not in css
        for url in re.findall(r"url\(([^)]*)\)", css):
            assert not URL_RE.search(url)
    # the only URL-looking text is the SVG namespace, which is a name, not a fetch
    assert set(URL_RE.findall(re.sub(r'xmlns="http://www\.w3\.org/2000/svg"', "", html))) == set()


def test_data_is_escaped_never_markup():
    evil = '<script>alert(1)</script> & "quotes"'
    routine = Routine(evil, notes='</p><img src="https://x.example/a.png">\x1b[31m', items=(RoutineItem("sphinx"),))
    html = build_handout(routine, CATALOG, Profile(), today=TODAY)
    page = parse(html)
    assert not any(tag in ("script", "img") for tag, _a in page.tags)
    assert evil in page.texts_in("h1")
    assert "\x1b" not in html
    assert '<img src="https://x.example/a.png">' in page.all_text()  # shown as text


def test_missing_stretch_is_said_not_crashed():
    routine = Routine("Old", items=(RoutineItem("no-such-stretch"),))
    text = parse(build_handout(routine, CATALOG, Profile(), today=TODAY)).all_text()
    assert "not in the catalog any more" in text


def test_write_never_overwrites_without_force(tmp_path):
    target = tmp_path / "r.html"
    write_handout("<p>one</p>", target)
    with pytest.raises(HandoutError, match="already exists"):
        write_handout("<p>two</p>", target)
    assert target.read_text() == "<p>one</p>"
    write_handout("<p>two</p>", target, force=True)
    assert target.read_text() == "<p>two</p>"
    with pytest.raises(HandoutError, match="does not exist"):
        write_handout("x", tmp_path / "nope" / "r.html")


# --------------------------------------------------------------------- CLI
def test_cli_export_html(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    with open_store(data) as store:
        store.set_profile(Profile(conditions=("spinal-stenosis",)))
    monkeypatch.chdir(tmp_path)
    assert main(["export", "Morning stiffness", "--html", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "morning-stiffness.html" in out
    page = parse((tmp_path / "morning-stiffness.html").read_text(encoding="utf-8"))
    assert "Spinal stenosis" in page.all_text()

    assert main(["export", "Morning stiffness", "--html", "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("stretchtui: ") and "already exists" in err and err.count("\n") == 1

    assert main(["export", "Morning stiffness", "--html", "-o", "-", "--data-dir", str(data)]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")

    assert main(["export", "Morning stiffness", "--html", "-o", "sheet.html", "--data-dir", str(data)]) == 0
    assert (tmp_path / "sheet.html").is_file()
    # without --html the export is still a routine file
    assert main(["export", "Morning stiffness", "--data-dir", str(data)]) == 0
    assert (tmp_path / "morning-stiffness.routine.json").is_file()


def test_cli_broken_poses_file_is_named_and_the_words_still_print(tmp_path, monkeypatch, capsys):
    from stretchtui.core.domain import pose as pose_mod

    bad = tmp_path / "poses.json"
    bad.write_text('{"version": 1, "postures": {}, "poses": {"sphinx": {"frames": []}}}', encoding="utf-8")
    monkeypatch.setattr(pose_mod, "default_poses_path", lambda: bad)
    assert main(["export", "Morning stiffness", "--html", "-o", "-", "--data-dir", str(tmp_path / "d")]) == 0
    captured = capsys.readouterr()
    assert "poses.json: poses.sphinx.frames: must be a non-empty list" in captured.err
    assert "without figures" in captured.err
    assert "<svg" not in captured.out and "Ankle Pumps" in captured.out


def test_red_flags_are_the_checklists_and_pregnancy_signs_only_for_pregnancy():
    from stretchtui.core.domain.red_flags import checklist_groups

    for pregnant in (False, True):
        groups = checklist_groups(pregnant)
        assert handout_red_flags(pregnant) == tuple((str(g.urgency), tuple(map(str, g.texts))) for g in groups)
    plain = build_handout(starter("Morning stiffness"), CATALOG, Profile(), today=TODAY)
    expecting = build_handout(starter("Morning stiffness"), CATALOG, Profile(conditions=("pregnancy",)), today=TODAY)
    pregnancy_urgency = {str(g.urgency) for g in checklist_groups(True)} - {str(g.urgency) for g in checklist_groups(False)}
    assert pregnancy_urgency, "the checklist has a pregnancy group"
    for urgency in pregnancy_urgency:
        assert escape(urgency) not in plain, "no pregnancy signs for a profile without pregnancy"
        assert escape(urgency) in expecting


def test_a_handout_carries_its_routine_and_imports_back(tmp_path):
    from stretchtui.core.storage.routine_file import read_routine_file

    routine = starter("Desk neck and upper back")
    html = build_handout(routine, CATALOG, Profile(), today=TODAY)
    path = tmp_path / "handout.html"
    path.write_text(html, encoding="utf-8")
    back = read_routine_file(path, CATALOG)
    assert (back.name, back.items, back.notes) == (routine.name, routine.items, routine.notes)
    assert "stretchtui import --code" in html, "the code is printed too, for a patient with the paper only"


def test_a_web_page_without_a_routine_is_refused_by_name(tmp_path):
    from stretchtui.core.storage.routine_file import RoutineFileError, read_routine_file

    path = tmp_path / "page.html"
    path.write_text("<!DOCTYPE html><html><body>hello</body></html>")
    with pytest.raises(RoutineFileError) as error:
        read_routine_file(path, CATALOG)
    assert "page.html" in str(error.value) and "without a stretchtui routine" in str(error.value)


def test_figures_sit_beside_the_words_and_lying_figures_are_stacked():
    """Figures in a column beside the dose and steps (about three stretches a page, not one);
    a lying figure (wide and low) is drawn start above end at the column's full width."""
    routine = Routine("Mixed", (RoutineItem("heel-slides"), RoutineItem("chin-tuck")))
    html = build_handout(routine, CATALOG, Profile(), today=TODAY)
    items = re.findall(r'<section class="item".*?</section>', html, re.S)
    assert len(items) == 2
    for item in items:
        body = item.index('class="item-body"')
        assert body < item.index('class="figures') < item.index('class="item-text"') < item.index("<h3>Steps</h3>")
    assert 'class="figures wide"' in items[0] and "&#8645;" in items[0]  # lying: stacked, arrow down
    assert 'class="figures"' in items[1] and "&#8594;" in items[1]  # seated: side by side


@pytest.mark.parametrize("kind", ["symlink", "fifo", "devnull"])
def test_the_handout_writer_never_replaces_what_is_not_a_regular_file(tmp_path, kind):
    """F4: --force included, and as root too (/dev/null must survive)."""
    import os
    import stat

    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    target = tmp_path / "h.html"
    if kind == "symlink":
        target.symlink_to(victim)
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target = __import__("pathlib").Path("/dev/null")
    before = os.lstat(target)
    for force in (False, True):
        with pytest.raises(HandoutError, match="only replaces regular files"):
            write_handout("<p>x</p>", target, force=force)
    after = os.lstat(target)
    assert (after.st_ino, stat.S_IFMT(after.st_mode)) == (before.st_ino, stat.S_IFMT(before.st_mode))
    assert victim.read_text() == "keep me"


@pytest.mark.parametrize("umask, mode", [(0o022, 0o600), (0o077, 0o600), (0o277, 0o400)])
def test_the_handout_is_private_and_honours_the_umask(tmp_path, umask, mode):
    """It lists the user's conditions: 0600 at most, less when the umask says so (was 0644 under 077)."""
    import os

    old = os.umask(umask)
    try:
        written = write_handout("<p>conditions</p>", tmp_path / "h.html")
    finally:
        os.umask(old)
    assert os.stat(written).st_mode & 0o777 == mode


@pytest.mark.timeout(120)
@pytest.mark.parametrize("paper", ["letter", "A4"])
def test_a_six_stretch_handout_prints_on_three_pages(tmp_path, paper):
    """Printed from Chromium, as a person would: about three stretches a page and the red flags
    after them, not a page for the last stretch alone (it was 4-5 pages, about 45 % blank)."""
    import shutil
    import subprocess

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run does this)")
    routine = starter("Desk neck and upper back")
    assert len(routine.items) == 6
    html = build_handout(routine, CATALOG, Profile(conditions=("cervical-radiculopathy",)), today=TODAY)
    page = tmp_path / "handout.html"
    page.write_text(html.replace("@page {", f"@page {{ size: {paper};", 1), encoding="utf-8")
    pdf = tmp_path / "handout.pdf"
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", page.as_uri()],
        capture_output=True, timeout=90, check=False,
    )
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert 1 <= pages <= 3, pages
