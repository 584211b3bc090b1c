"""Lesson files: a small front matter block over a Markdown body, read defensively (no Qt here).

A lesson is one ``.md`` file under ``resources/lessons/``::

    ---
    title: Learning rate: too small, too large
    chapter: 1, Implementing our network to classify digits
    watch: how fast each curve rises in the first epochs
    accuracy: test
    config η = 3: {"hidden": [30], "learning_rate": 3.0, ...}
    book η = 3: [[1, 91.29], [30, 95.34]]
    reported: The book reports ... (shown under the plot)
    show: What it looks at
    ---
    The explanation, in Markdown.

``config LABEL:`` is one run the lesson's button starts (a JSON object in the dict form of
:class:`nncore.run_spec.RunSpec`, ``RunSpec.to_dict()``'s keys, each read and checked as the spec
reads its own; a name the spec lacks is kept, and the window disables that run saying why; the label may
be left out when there is one run); ``book LABEL:`` is
what the book reports for that run: a list of ``[epoch, accuracy %]`` points or one final accuracy.
``show:`` names a tab of the window the lesson points to. Anything else is refused with a line that
says what was wrong, so a damaged file is skipped with a note and never breaks the panel.
"""

import json
import math
from dataclasses import dataclass

from nncore.errors import NNCoreError
from nncore.fileio import read_regular_bytes
from nncore.run_spec import RunSpec

SPEC_FIELDS = frozenset(RunSpec.__dataclass_fields__)

MAX_BYTES = 32_768            # a lesson is a few paragraphs; anything bigger is not a lesson
MAX_FILES = 50
MAX_RUNS = 6
MAX_POINTS = 500
MAX_LINE = 2_000              # one front matter line (a config is about 200 characters)
ACCURACIES = ("test", "validation")
SINGLE = ("title", "chapter", "watch", "accuracy", "reported", "show")
BOOK_URL = "http://neuralnetworksanddeeplearning.com/chap{}.html"


class LessonError(NNCoreError):
    """A lesson file that cannot be used; the message names the file and what was wrong."""


@dataclass(frozen=True)
class BookResult:
    """What the book reports for one run: ``points`` ((epoch, accuracy %), ...) or one ``final`` accuracy %."""

    points: tuple = ()
    final: float | None = None

    def text(self):
        """'95.34% after epoch 30' or 'about 82%'."""
        if self.final is not None:
            return f"about {self.final:g}%"
        epoch, percent = self.points[-1]
        return f"{percent:g}% after epoch {epoch}"


@dataclass(frozen=True)
class LessonRun:
    """One run a lesson's button starts: its label, its settings (as JSON text, so it stays immutable)
    and the book's result for it (or None)."""

    label: str
    config_json: str
    book: BookResult | None = None

    def config(self):
        """A fresh dict of the run's settings (the caller may change it)."""
        return json.loads(self.config_json)

    def unknown_settings(self, known):
        """The run's setting names that are not in ``known`` (sorted): the knobs the window lacks."""
        return sorted(set(self.config()) - set(known))


@dataclass(frozen=True)
class Lesson:
    """One guided experiment: texts, the runs it offers, and the tab it points to (or None)."""

    key: str
    title: str
    chapter: int
    section: str
    watch: str
    body: str
    runs: tuple = ()
    accuracy: str = "test"
    reported: str = ""
    show: str | None = None

    def citation(self):
        """'Nielsen, Neural Networks and Deep Learning, chapter 3, “Overfitting and regularization”'."""
        text = f"Nielsen, <i>Neural Networks and Deep Learning</i>, chapter {self.chapter}"
        return text + (f", “{self.section}”" if self.section else "")

    def url(self):
        """The chapter's page on the book's site."""
        return BOOK_URL.format(self.chapter)

    def epochs(self):
        """The most epochs any of the lesson's runs asks for (0 without runs)."""
        return max((_epochs_of(run.config()) for run in self.runs), default=0)


def load_lessons(folder):
    """(lessons sorted by file name, notes): every ``*.md`` regular file of ``folder`` that parses.

    A file that is damaged, too big, not a regular file (a FIFO, a folder) or not UTF-8 is skipped
    with one note naming it and the problem; a missing folder is one note. Nothing here raises.
    """
    try:
        names = sorted(p for p in folder.iterdir() if p.name.endswith(".md"))
    except OSError as e:
        return [], [f"No lessons: {folder} cannot be read ({e.strerror or e})."]
    notes = [f"Only the first {MAX_FILES} lesson files were read."] if len(names) > MAX_FILES else []
    lessons = []
    for path in names[:MAX_FILES]:
        try:
            raw = read_regular_bytes(path, MAX_BYTES, "a lesson file (.md)", LessonError)
            lessons.append(parse_lesson(_decode(raw, path.name), path.stem))
        except LessonError as e:
            notes.append(f"Skipped {path.name}: {_without_folder(str(e), path)}")
    return lessons, notes


def parse_lesson(text, key):
    """The :class:`Lesson` a file's ``text`` holds; :class:`LessonError` saying what is wrong if none."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise LessonError("does not start with a front matter block (a line '---')")
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == "---")
    except StopIteration:
        raise LessonError("its front matter block has no closing '---' line") from None
    fields, configs, books = {}, {}, {}
    for number, line in enumerate(lines[1:end], 2):
        if line.strip():
            _read_line(line, number, fields, configs, books)
    body = "\n".join(lines[end + 1:]).strip()
    return _lesson(key, fields, configs, books, body)


def _read_line(line, number, fields, configs, books):
    """Put one front matter line in ``fields``, ``configs`` or ``books`` (by label)."""
    where = f"line {number}"
    if len(line) > MAX_LINE:
        raise LessonError(f"{where} is longer than {MAX_LINE:,} characters")
    head, colon, value = line.partition(":")
    if not colon:
        raise LessonError(f"{where} is not 'name: value'")
    name, _, label = head.strip().partition(" ")
    label, value = label.strip(), value.strip()
    if name in ("config", "book"):
        found = configs if name == "config" else books
        if label in found:
            raise LessonError(f"{where}: a second '{head.strip()}'")
        found[label] = (_config if name == "config" else _book)(value, f"{where} ({head.strip()})")
    elif name in SINGLE and not label:
        if name in fields:
            raise LessonError(f"{where}: a second '{name}'")
        fields[name] = value
    else:
        raise LessonError(f"{where}: unknown field '{head.strip()}'; a lesson has {', '.join(SINGLE)}, "
                          "config and book")


def _lesson(key, fields, configs, books, body):
    """Check what a lesson needs and put it together."""
    for name in ("title", "chapter"):
        if not fields.get(name):
            raise LessonError(f"has no {name}")
    if not body:
        raise LessonError("has no text below its front matter")
    chapter, _, section = fields["chapter"].partition(",")
    if not chapter.strip().isdigit() or not 1 <= int(chapter) <= 6:
        raise LessonError(f"chapter must be a chapter of the book, 1 to 6, not '{chapter.strip()}'")
    accuracy = fields.get("accuracy", "test")
    if accuracy not in ACCURACIES:
        raise LessonError(f"accuracy must be {' or '.join(ACCURACIES)}, not '{accuracy}'")
    if len(configs) > MAX_RUNS:
        raise LessonError(f"has {len(configs)} runs; at most {MAX_RUNS}")
    stray = sorted(set(books) - set(configs))
    if stray:
        raise LessonError(f"book '{stray[0]}' names no run (config '{stray[0]}')")
    runs = tuple(LessonRun(label, json.dumps(config, ensure_ascii=False), books.get(label))
                 for label, config in configs.items())
    return Lesson(key, fields["title"], int(chapter), section.strip(), fields.get("watch", ""), body, runs,
                  accuracy, fields.get("reported", ""), fields.get("show") or None)


def _config(value, where):
    """A run's settings: a JSON object of names to plain values."""
    config = _json(value, where)
    if not isinstance(config, dict) or not config:
        raise LessonError(f"{where} is not a JSON object of settings")
    known = {k: v for k, v in config.items() if k in SPEC_FIELDS}
    _, unusable = RunSpec.from_stored(known)   # the run spec's own reading and checks of its dict form
    if unusable:
        raise LessonError(f"{where}: {', '.join(unusable)} cannot be used as given")
    return config


def _book(value, where):
    """The book's result: one accuracy % or a list of [epoch, accuracy %] points."""
    data = _json(value, where)
    if _is_percent(data):
        return BookResult(final=float(data))
    if (isinstance(data, list) and 0 < len(data) <= MAX_POINTS
            and all(isinstance(p, list) and len(p) == 2 and _is_epoch(p[0]) and _is_percent(p[1]) for p in data)):
        return BookResult(points=tuple((int(e), float(a)) for e, a in data))
    raise LessonError(f"{where} is neither an accuracy from 0 to 100 nor a list of up to {MAX_POINTS} "
                      "[epoch, accuracy] pairs")


def _json(value, where):
    try:
        return json.loads(value)
    except (ValueError, RecursionError) as e:
        raise LessonError(f"{where} is not valid JSON ({e})") from None


def _is_percent(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) and 0 <= x <= 100


def _is_epoch(x):
    return isinstance(x, int) and not isinstance(x, bool) and 0 <= x <= 10_000


def _epochs_of(config):
    epochs = config.get("epochs", 0)
    return epochs if isinstance(epochs, int) and not isinstance(epochs, bool) else 0


def _decode(raw, name):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise LessonError(f"is not UTF-8 text (byte {e.start:,})") from None


def _without_folder(message, path):
    """The read errors start with the full path; the note names the file once, so drop it."""
    prefix = f"{path}: "
    return message[len(prefix):] if message.startswith(prefix) else message
