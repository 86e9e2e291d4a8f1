"""The committed type stubs (disfer/_disfer.pyi) declare exactly what the module defines."""
import subprocess
import sys


def test_stubs_are_up_to_date(source_dir):
    r = subprocess.run([sys.executable, str(source_dir / "python" / "make_stubs.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
