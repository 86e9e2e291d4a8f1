"""Builds the `disfer` wheel: the pybind11 extension comes from CMake (the repository's top-level
CMakeLists.txt with DISFER_BUILD_PYTHON=ON, only the disfer_python target, Release, no -march),
or, when DISFER_PYTHON_PACKAGE_DIR names an already built package folder, from there. The wheel
holds the extension, the Python files, the type stubs and the bundled networks' weights."""
import os
import pathlib
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = pathlib.Path(__file__).resolve().parent
# The repository (for the version and CMake): the folder above, or DISFER_SOURCE_DIR when this
# folder was copied elsewhere to build (the tests do, to leave the source tree untouched).
ROOT = pathlib.Path(os.environ.get("DISFER_SOURCE_DIR", HERE.parent)).resolve()


def version():
    text = (ROOT / "CMakeLists.txt").read_text()
    return re.search(r"project\(disfer VERSION ([0-9.]+)", text).group(1)


class cmake_build_ext(build_ext):
    def build_extension(self, ext):
        package = os.environ.get("DISFER_PYTHON_PACKAGE_DIR")
        if not package:
            build = pathlib.Path(self.build_temp).resolve() / "cmake"
            subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                            "-DDISFER_BUILD_TESTS=OFF", "-DDISFER_BUILD_EXAMPLES=OFF", "-DDISFER_VERIFY_HEADERS=OFF",
                            "-DDISFER_BUILD_PYTHON=ON", "-DPython_EXECUTABLE=" + sys.executable], check=True)
            subprocess.run(["cmake", "--build", str(build), "--target", "disfer_python", "-j",
                            str(os.cpu_count() or 1)], check=True)
            package = build / "python" / "disfer"
        package = pathlib.Path(package)
        built = sorted(package.glob("_disfer*.so"))
        if not built:
            raise SystemExit("setup.py: no _disfer*.so in %s" % package)
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[0], target)
        models = package / "models"
        if models.is_dir():
            shutil.copytree(models, target.parent / "models", dirs_exist_ok=True)


setup(
    name="disfer",
    version=version(),
    description="Facial expression recognition under image distortions: stimuli, crowd votes, agreement, "
                "metrics, McNemar, error correlation, the DisFER reproduction (C++ library, numpy interface)",
    license="MIT",
    python_requires=">=3.11",
    install_requires=["numpy"],
    packages=["disfer"],
    package_data={"disfer": ["*.pyi", "py.typed", "models/*"]},
    ext_modules=[Extension("disfer._disfer", sources=[])],
    cmdclass={"build_ext": cmake_build_ext},
    zip_safe=False,
)
