"""The floor of launch_time.py: a bare PySide6 main window holding one pyqtgraph plot, and nothing else."""

import sys

import pyqtgraph as pg
from PySide6.QtWidgets import QApplication, QMainWindow

if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("floor")
    window.setCentralWidget(pg.PlotWidget())
    window.resize(1200, 700)
    window.show()
    sys.exit(app.exec())
