"""Every public C++ function (tests/reliability/public_functions.py's list, the one the bad-input
catalogue uses) has a Python counterpart of the same name, or is listed with its reason under
"Not bound" in docs/python.md; and every Python counterpart named in its mapping table exists."""
import importlib.util
import re

import disfer


def public_functions(source_dir):
    spec = importlib.util.spec_from_file_location("public_functions",
                                                  source_dir / "tests" / "reliability" / "public_functions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.public_functions(str(source_dir / "include"))


def doc_sections(source_dir):
    text = (source_dir / "docs" / "python.md").read_text()
    not_bound = text.split("## Not bound", 1)[1].split("\n## ", 1)[0]
    unbound = set()
    for bullet in re.split(r"\n- ", "\n" + not_bound)[1:]:  # names before the bullet's ": reason"
        unbound.update(re.findall(r"`([a-z_0-9]+)`", bullet.split(": ", 1)[0]))
    mapping = text.split("## Mapping", 1)[1].split("\n## ", 1)[0]
    python_names = set()
    for row in mapping.splitlines():
        cells = [c.strip() for c in row.split("|")]
        if len(cells) > 3 and cells[2].startswith("`"):
            python_names.update(re.findall(r"`disfer\.([A-Za-z_0-9]+)", cells[2]))
    return unbound, python_names


def test_every_public_function_has_a_counterpart_or_a_reason(source_dir):
    unbound, _ = doc_sections(source_dir)
    names = public_functions(source_dir)
    missing = sorted(n for n in names if not hasattr(disfer, n) and n not in unbound)
    assert not missing, "no Python counterpart and no reason in docs/python.md: %s" % ", ".join(
        "%s (%s)" % (n, names[n]) for n in missing)
    stale = sorted(n for n in unbound if hasattr(disfer, n))
    assert not stale, "listed as not bound but bound: %s" % stale


def test_the_mapping_table_names_real_functions(source_dir):
    _, python_names = doc_sections(source_dir)
    assert len(python_names) > 40
    absent = sorted(n for n in python_names if not hasattr(disfer, n))
    assert not absent, absent
