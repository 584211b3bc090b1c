"""The bundled resources are found beside the nncore package, in the repository and in the wheel's layout."""

import shutil
import subprocess
import sys
from pathlib import Path

import nncore
from nncore.data import mnist_dir, resources_dir

REPO = Path(nncore.__file__).resolve().parent.parent


def test_in_the_repository_resources_is_the_folder_beside_nncore(monkeypatch, tmp_path):
    """resources_dir() is <repo>/resources whatever the working directory, and holds MNIST."""
    monkeypatch.chdir(tmp_path)
    assert resources_dir().resolve() == REPO / "resources"
    assert mnist_dir() == resources_dir() / "mnist" and any(mnist_dir().glob("t10k-labels-idx1-ubyte*"))


def test_in_the_wheels_layout_resources_is_found_inside_the_wrapper_package(tmp_path):
    """With nncore installed as backprop_lab/nncore, resources_dir() is backprop_lab/resources."""
    wrapper = tmp_path / "site" / "backprop_lab"
    shutil.copytree(REPO / "nncore", wrapper / "nncore", ignore=shutil.ignore_patterns("__pycache__"))
    (wrapper / "__init__.py").write_text("")
    (wrapper / "resources").mkdir()
    code = "from backprop_lab.nncore.data import resources_dir; print(resources_dir())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=tmp_path, env={"PYTHONPATH": str(tmp_path / "site"), "PATH": ""})
    assert Path(out.stdout.strip()) == wrapper / "resources"
