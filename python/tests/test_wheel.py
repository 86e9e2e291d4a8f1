"""The wheel builds offline (python3 -m build --no-isolation, Debian's python3-build) from a copy of
python/ and the built extension, installs with pip --no-index into a venv that sees Debian's numpy
(--system-site-packages), and works there: import, a kappa, the bundled network."""
import os
import pathlib
import shutil
import subprocess
import sys
import zipfile

import pytest

import disfer


def test_wheel_builds_offline_and_installs_into_a_venv(tmp_path, source_dir):
    package = pathlib.Path(disfer.__file__).parent
    src = tmp_path / "src"
    shutil.copytree(source_dir / "python", src, ignore=shutil.ignore_patterns("tests", "src", "build", "*.egg-info"))
    env = dict(os.environ, DISFER_PYTHON_PACKAGE_DIR=str(package), DISFER_SOURCE_DIR=str(source_dir))
    env.pop("PYTHONPATH", None)
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", str(tmp_path / "dist"),
                    str(src)], check=True, env=env, capture_output=True)
    wheels = list((tmp_path / "dist").glob("disfer-*.whl"))
    assert len(wheels) == 1
    names = zipfile.ZipFile(wheels[0]).namelist()
    assert any(n.startswith("disfer/_disfer") and n.endswith(".so") for n in names)
    for expected in ("disfer/__init__.py", "disfer/py.typed", "disfer/_disfer.pyi", "disfer/models/emotion.json",
                     "disfer/models/face_expression_model.bin"):
        assert expected in names, expected

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--no-index", "--no-deps", "-q", str(wheels[0])],
                   check=True, env=env, capture_output=True)
    check = ("import disfer, numpy as np; "
             "assert disfer.__file__.startswith(%r), disfer.__file__; "
             "print(disfer.fleiss_kappa(np.array([[3, 0], [0, 3], [2, 1]])).kappa); "
             "print(disfer.Fer2013Xception().predict(np.zeros((1, 48, 48), np.uint8)).labels[0])" % str(venv))
    out = subprocess.run([str(python), "-c", check], check=True, env=env, capture_output=True, text=True,
                         cwd=str(tmp_path)).stdout.split()
    assert float(out[0]) == pytest.approx(disfer.fleiss_kappa([[3, 0], [0, 3], [2, 1]]).kappa, abs=0)
    assert 0 <= int(out[1]) < 7
