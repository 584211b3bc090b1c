"""The drawing pad: drawing, the live prediction, and "my handwriting" (labelled drawings).

Qt-free model: ``handwriting_store``.
"""
