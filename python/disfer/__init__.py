"""disfer: facial expression recognition under image distortions, from Python.

numpy arrays in and out: image distortions bit-identical to OpenCV and reproducible from a seed,
the DisFER study design, crowd votes, agreement (Fleiss with 50/51 raters under a named margin
convention, Cohen, Krippendorff, Gwet), classification metrics, McNemar accurate deep in the tail,
Borji & Itti's error correlation, the bundled FER networks and the whole DisFER reproduction.

Every function of the C++ library (include/disfer) has its counterpart here under the same name;
results are read-only objects with the C++ field names, a to_dict() and _fields. Bad input raises
disfer.Error (a ValueError) with .function, .path, .line and .column. Long calls release the GIL.
See docs/python.md for the tour and the mapping to statsmodels and scikit-learn names.
"""
import os as _os

from ._disfer import *  # noqa: F401,F403
from ._disfer import Error, Cancelled, purpose  # noqa: F401
from . import _disfer

#: Folder of the networks' weights shipped with the package (None when built without them).
MODEL_DIR = _os.path.join(_os.path.dirname(__file__), "models")
if not _os.path.isdir(MODEL_DIR):
    MODEL_DIR = None

__version__ = _disfer.__version__
__all__ = [n for n in dir(_disfer) if not n.startswith("_")]
