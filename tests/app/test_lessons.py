"""The Lessons tab: its files parse or are skipped with a note, its buttons send the lesson's exact settings,
and only the lesson's own runs are drawn beside the book's numbers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

from app.lessons.lesson_file import MAX_BYTES, LessonError, load_lessons, parse_lesson
from app.lessons.lessons_tab import DEFAULT_KNOWN_SETTINGS, LessonsTab, lessons_folder
from app.training.run_history import RunSetup
from app.training.training_config import TrainingConfig
from nncore.reports import EndReason, EpochReport, RunEnd

KNOWN = frozenset(TrainingConfig().to_dict())
ROOT = Path(__file__).resolve().parents[2]

GOOD = """---
title: A test lesson
chapter: 1, Somewhere
watch: the curve
config η = 3: {"hidden": [30], "learning_rate": 3.0, "epochs": 4, "batch_size": 10, "train_size": 1000}
config η = 0.5: {"hidden": [20], "learning_rate": 0.5, "epochs": 4, "batch_size": 10, "train_size": 1000}
book η = 3: [[1, 90.0], [4, 95.0]]
---
Some **text**.
"""


def lesson_text(**fields):
    """A small valid lesson with ``fields`` replacing or adding front matter lines (None removes one)."""
    lines = {"title": "T", "chapter": "3", "watch": "w",
             "config": '{"hidden": [30], "learning_rate": 3.0, "epochs": 2}'}
    lines.update(fields)
    head = "".join(f"{k}: {v}\n" for k, v in lines.items() if v is not None)
    return f"---\n{head}---\nBody.\n"


def report(epoch, test, validation=None):
    return EpochReport(epoch, 30, 0.1, 0.1, validation, test, 3.0, 1.0, 0.1)


def setup_of(config_dict):
    return RunSetup(TrainingConfig.from_dict(config_dict))


@pytest.fixture
def folder(tmp_path):
    """A lessons folder holding the one good lesson above."""
    (tmp_path / "01-good.md").write_text(GOOD, encoding="utf-8")
    return tmp_path


@pytest.fixture
def tab(qtbot, folder):
    """A LessonsTab over the test folder, knowing the window's settings."""
    widget = LessonsTab(known_settings=KNOWN, folder=folder)
    qtbot.addWidget(widget)
    return widget


def test_every_shipped_lesson_parses_and_its_runs_are_settings_the_window_takes_as_they_are():
    """All lesson files load without a note; every run names every TrainingConfig field, each usable as given."""
    lessons, notes = load_lessons(lessons_folder())
    assert notes == []
    assert len(lessons) == len(list(lessons_folder().glob("*.md"))) >= 8
    for lesson in lessons:
        for run in lesson.runs:
            config = run.config()
            assert set(config) <= KNOWN, (lesson.key, run.label)     # every knob it sets exists
            cfg, fallbacks = TrainingConfig.from_stored(config)
            assert fallbacks == [] and all(cfg.to_dict()[k] == v for k, v in config.items()), (lesson.key, run.label)


def test_the_shipped_lessons_carry_the_books_numbers():
    """Chapter 1's 95.42% peak, and 82% / 87% for overfitting without and with L2 (λ = 0.1, needing 'l2')."""
    lessons = {lesson.key: lesson for lesson in load_lessons(lessons_folder())[0]}
    baseline = lessons["01-baseline"].runs[0]
    assert (29, 95.42) in baseline.book.points and baseline.config()["learning_rate"] == 3.0
    plain, l2 = lessons["04-overfitting-l2"].runs
    assert (plain.book.final, l2.book.final) == (82.0, 87.0)
    assert plain.unknown_settings(KNOWN) == [] and l2.unknown_settings(KNOWN - {"l2"}) == ["l2"]
    assert plain.config()["train_size"] == 1000 and plain.config()["epochs"] == 400
    assert lessons["07-what-it-looks-at"].show == "What it looks at" and not lessons["07-what-it-looks-at"].runs


def test_a_damaged_huge_or_special_lesson_file_is_skipped_with_a_note(folder):
    """Bad JSON, a file over the size limit, a FIFO, a folder and non-UTF-8 are each skipped and named."""
    (folder / "02-json.md").write_text(lesson_text(config="{not json"), encoding="utf-8")
    (folder / "03-huge.md").write_text(GOOD + "x" * MAX_BYTES, encoding="utf-8")
    os.mkfifo(folder / "04-fifo.md")
    (folder / "05-folder.md").mkdir()
    (folder / "06-latin1.md").write_bytes(lesson_text(title="Caf\xe9").encode("latin-1"))
    (folder / "notes.txt").write_text("not a lesson")
    lessons, notes = load_lessons(folder)
    assert [lesson.key for lesson in lessons] == ["01-good"]
    assert len(notes) == 5
    json_note, huge, fifo, folder_note, latin = notes
    assert json_note.startswith("Skipped 02-json.md: line 5 (config) is not valid JSON")
    assert huge.startswith("Skipped 03-huge.md: is ") and f"at most {MAX_BYTES:,} bytes" in huge
    assert fifo == "Skipped 04-fifo.md: is a named pipe (FIFO), not a lesson file (.md)"
    assert folder_note == "Skipped 05-folder.md: is a folder, not a lesson file (.md)"
    assert latin.startswith("Skipped 06-latin1.md: is not UTF-8 text")


def test_the_tab_shows_the_skipped_files_and_still_opens_the_good_lesson(qtbot, folder):
    """A damaged file beside a good one: the good lesson is open, the note names the damaged one."""
    (folder / "02-bad.md").write_text("no front matter", encoding="utf-8")
    tab = LessonsTab(known_settings=KNOWN, folder=folder)
    qtbot.addWidget(tab)
    assert tab.list.count() == 1 and tab.current_lesson().title == "A test lesson"
    assert tab.note.text() == "Skipped 02-bad.md: does not start with a front matter block (a line '---')"
    assert not tab.note.isHidden()


@pytest.mark.parametrize(("fields", "message"), [
    ({"title": None}, "has no title"),
    ({"chapter": "7"}, "chapter must be a chapter of the book, 1 to 6, not '7'"),
    ({"book": "[[1, 120]]"}, "neither an accuracy from 0 to 100"),
    ({"book other": "80"}, "book 'other' names no run (config 'other')"),
    ({"colour": "red"}, "line 6: unknown field 'colour'"),
    ({"accuracy": "train"}, "accuracy must be test or validation, not 'train'"),
    ({"config": "[1, 2]"}, "line 5 (config) is not a JSON object of settings"),
])
def test_a_bad_front_matter_line_says_what_is_wrong(fields, message):
    """Each kind of damage is refused with a message naming it."""
    with pytest.raises(LessonError, match=None) as caught:
        parse_lesson(lesson_text(**fields), "x")
    assert message in str(caught.value)


def test_the_run_button_emits_the_lessons_exact_settings(qtbot, tab):
    """Pressing a run's button sends exactly that run's settings dict, nothing added or dropped."""
    with qtbot.waitSignal(tab.runRequested, timeout=1000) as signal:
        tab.page.run_buttons[1].click()
    assert signal.args == [{"hidden": [20], "learning_rate": 0.5, "epochs": 4, "batch_size": 10,
                            "train_size": 1000}]
    assert tab.page.run_buttons[0].isEnabled() and "η 3" in tab.page.run_buttons[0].toolTip()


def test_the_learner_curve_shows_exactly_the_epochs_of_the_lessons_run(qtbot, tab):
    """Only the run that follows the button's request is drawn, with its own epochs; other runs are ignored."""
    config = tab.current_lesson().runs[0].config()
    tab.run_started(3, setup_of(config))              # the learner pressed Train in the window: not ours
    tab.epoch(3, report(1, 0.50))
    tab.page.run_buttons[0].click()
    tab.run_started(4, setup_of(config))              # the run the button asked for
    for epoch, test in ((1, 0.91), (2, 0.93), (3, 0.94)):
        tab.epoch(4, report(epoch, test))
        tab.epoch(3, report(epoch + 1, 0.5))          # the other run goes on beside it
    tab.run_ended(4, RunEnd(EndReason.STOPPED, 3, 0, "stopped by you"))
    qtbot.waitUntil(lambda: len(tab.page.plot.curve_data(0)[0]) == 3, timeout=2000)
    epochs, accuracies = tab.page.plot.curve_data(0)
    assert epochs == [1.0, 2.0, 3.0]
    assert accuracies == pytest.approx([91.0, 93.0, 94.0])
    assert tab.page.plot.curve_data(1) == ([], [])
    assert "94.00% at epoch 3/4" in tab.page.results.text() and "stopped: stopped by you" in tab.page.results.text()


def test_a_run_with_other_settings_after_the_request_is_not_the_lessons(qtbot, tab):
    """If the run that starts next has settings the lesson did not ask for, it is not drawn."""
    tab.page.run_buttons[0].click()
    other = dict(tab.current_lesson().runs[0].config(), learning_rate=30.0)
    tab.run_started(5, setup_of(other))
    tab.epoch(5, report(1, 0.2))
    tab.refresh()
    assert tab.page.plot.curve_data(0) == ([], [])
    assert "not run yet" in tab.page.results.text()


def test_a_lesson_needing_an_unknown_setting_has_its_run_disabled_saying_why(qtbot, folder):
    """A run asking for 'dropout', which the window lacks, is disabled with a tooltip naming it; no signal."""
    text = lesson_text(config=None, **{"config plain": '{"hidden": [30]}',
                                       "config fast": '{"hidden": [30], "dropout": 0.5}'})
    (folder / "02-needs.md").write_text(text, encoding="utf-8")
    tab = LessonsTab(known_settings=KNOWN, folder=folder)
    qtbot.addWidget(tab)
    tab.open_lesson(1)
    plain, fast = tab.page.run_buttons
    assert plain.isEnabled() and not fast.isEnabled()
    assert fast.text().endswith("needs dropout (coming)")
    assert "“dropout”" in fast.toolTip() and "does not have yet" in fast.toolTip()
    with qtbot.assertNotEmitted(tab.runRequested):
        tab._run_clicked(1)
    tab.set_known_settings(KNOWN | {"dropout"})
    assert tab.page.run_buttons[1].isEnabled()


def test_the_l2_lesson_waits_for_the_l2_setting(qtbot):
    """Without an l2 setting the overfitting lesson's L2 run reads 'needs L2 (coming)', disabled; with the
    window's settings (which have l2) it runs."""
    tab = LessonsTab(known_settings=DEFAULT_KNOWN_SETTINGS - {"l2"})
    qtbot.addWidget(tab)
    tab.open_lesson([lesson.key for lesson in tab.lessons].index("04-overfitting-l2"))
    plain, l2 = tab.page.run_buttons
    assert plain.isEnabled() and not l2.isEnabled() and l2.text().endswith("needs L2 (coming)")
    assert "l2" in KNOWN
    tab.set_known_settings(KNOWN)
    tab.open_lesson([lesson.key for lesson in tab.lessons].index("04-overfitting-l2"))
    assert all(button.isEnabled() for button in tab.page.run_buttons)


def test_a_pad_lesson_asks_for_its_tab(qtbot):
    """'What the network looks at' has no run; its button and its text's link ask for the tab by name."""
    tab = LessonsTab(known_settings=KNOWN)
    qtbot.addWidget(tab)
    tab.open_lesson([lesson.key for lesson in tab.lessons].index("07-what-it-looks-at"))
    assert tab.page.run_buttons == [] and tab.page.plot.isHidden()
    with qtbot.waitSignal(tab.showTabRequested, timeout=1000) as signal:
        tab.page.show_tab.click()
    assert signal.args == ["What it looks at"]
    links = _links(tab.page.text.document())
    assert links == ["tab:What%20it%20looks%20at"]
    with qtbot.waitSignal(tab.showTabRequested, timeout=1000) as signal:
        tab.page.text.anchorClicked.emit(QUrl(links[0]))
    assert signal.args == ["What it looks at"]


def _links(document):
    """The href of every link in a QTextDocument, in order."""
    found, block = [], document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            href = it.fragment().charFormat().anchorHref()
            if href and href not in found:
                found.append(href)
            it += 1
        block = block.next()
    return found


def test_the_lesson_models_load_without_qt():
    """The lesson file reader and the run tracker import neither PySide6 nor pyqtgraph."""
    code = ("import sys\nimport app.lessons.lesson_file, app.lessons.learner_runs\n"
            "print(sorted(m for m in ('PySide6', 'pyqtgraph') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_no_bundled_lesson_promises_what_the_window_already_has():
    """The lessons speak of the lab as it is: the vanishing-gradient lesson points to the learning-speed plot
    it has, and none says a plot 'will join' later or that the lab 'lacks' a setting it has (L2)."""
    lessons, notes = load_lessons(lessons_folder())
    assert notes == []
    for lesson in lessons:
        text = " ".join([lesson.watch, lesson.body])
        assert "will join" not in text and "when the core measures" not in text and "lacks" not in text, lesson.key
    (vanishing,) = [lesson for lesson in lessons if lesson.key.endswith("vanishing-gradient")]
    assert "learning-speed plot on the Training tab" in vanishing.watch
    assert "(tab:Training)" in vanishing.body
