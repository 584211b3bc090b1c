"""Lessons: guided experiments from Nielsen's book (``lessons_tab.LessonsTab``), each with the book's
reported result beside the learner's own. The lesson texts are files under ``resources/lessons/``."""
