#!/usr/bin/env python3
"""Output-safety check: runs a writing command, SIGKILLs it midway (once its staging folder beside
the target holds at least --min-files files, before the rename into place), and checks that the
target folder holds no partial output:
  - without --existing: the target must not exist after the kill;
  - with --existing: the command first runs to completion, the target's files are hashed, then the
    command runs again with --replace-arg appended and is killed midway; the target must be
    byte-for-byte what it was.
  - with --during-commit (implies --existing; the command must write the same bytes at every run):
    the replacing run is SIGKILLed as soon as its staging folder holds as many files as the
    previous output, i.e. at the end of its writing or during the commit (the swap of the folders
    and the removal of the old one), until --attempts kills landed (runs that commit before the
    kill are repeated, at most --max-runs runs); after every kill the target must hold the
    previous (= the new) output complete, never be missing or partial. No kill at all fails.
Leftover hidden staging folders (.<name>.partial-N) are the only thing a kill may leave; they are
listed, then removed. Exit status 0 when the checks hold, 1 otherwise.

  kill_midway.py run --target DIR [--existing --replace-arg ARG] [--min-files N] [--attempts N] -- COMMAND ...
  kill_midway.py run --target DIR --during-commit [--replace-arg ARG] [--attempts N] [--max-runs N] -- COMMAND ...
  kill_midway.py synth-fer2013 OUT.csv [FACES_PER_EMOTION]   (a synthetic fer2013.csv, no real faces)

The command is a parameter: any program that writes a folder of outputs through
disfer::staged_directory can be registered (make_disfer_stimuli, write_conditions, a report run).
"""
import hashlib, os, shutil, signal, subprocess, sys, time


def snapshot(folder):
    out = {}
    for root, _, files in os.walk(folder):
        for f in files:
            p = os.path.join(root, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, folder)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def staging_entries(target):
    parent, name = os.path.split(os.path.abspath(target))
    prefix = "." + name + "."
    return [os.path.join(parent, e) for e in sorted(os.listdir(parent)) if e.startswith(prefix)]


def count_files(paths):
    n = 0
    for p in paths:
        if os.path.isdir(p):
            for _, _, files in os.walk(p):
                n += len(files)
        else:
            n += 1
    return n


def inode_of(path):
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return None


def kill_midway(cmd, target, min_files, timeout=300):
    """Runs cmd; once the staging folder holds min_files files, SIGSTOPs it, checks again that the
    staging folder is still there (the outputs not yet renamed into place), then SIGKILLs it.
    Returns False when the command ended, or had committed by the time it was stopped (it is then
    let finish): the window was missed and the caller may try again."""
    inode = inode_of(target)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t0 = time.monotonic()
    while True:
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace")
            if proc.returncode != 0:
                sys.exit("kill_midway: the command failed (status %s)\n%s" % (proc.returncode, err[-2000:]))
            return False
        st = [p for p in staging_entries(target) if ".partial-" in os.path.basename(p)]
        if st and count_files(st) >= min_files:
            proc.send_signal(signal.SIGSTOP)
            entries = staging_entries(target)
            st = [p for p in entries if ".partial-" in os.path.basename(p)]
            n = count_files(st)
            # Committed (or committing: the old output moved aside, .<name>.old-N, or swapped with the
            # staging folder, whose name then holds the old output) between the check and the stop:
            # this run is past the staging window.
            if (not st or n < min_files or any(".old-" in os.path.basename(p) for p in entries) or
                    inode_of(target) != inode):
                proc.send_signal(signal.SIGCONT)
                proc.wait()
                return False
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            print("kill_midway: SIGKILL after %.3f s with %d files staged in %s" %
                  (time.monotonic() - t0, n, ", ".join(os.path.basename(s) for s in st)))
            return True
        if time.monotonic() - t0 > timeout:
            proc.kill()
            sys.exit("kill_midway: no staging folder with %d files after %d s" % (min_files, timeout))
        time.sleep(0.001)


def kill_during_commit(cmd, target, before, kills, max_runs, timeout=300):
    """Kills the replacing command cmd once its staging folder holds len(before) files (its writing
    done: it is committing or about to), until `kills` kills landed or max_runs runs were made (the
    window lasts microseconds on a fast machine, so most runs commit before the poll sees it);
    returns True when the target held the complete previous output after every kill."""
    ok, landed = True, {"before the swap": 0, "after the swap": 0}
    runs = 0
    for attempt in range(1, max_runs + 1):
        if sum(landed.values()) >= kills:
            break
        runs = attempt
        inode = os.stat(target).st_ino
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        t0 = time.monotonic()
        while proc.poll() is None:
            st = [p for p in staging_entries(target) if ".partial-" in os.path.basename(p)]
            if st and count_files(st) >= len(before):
                proc.send_signal(signal.SIGKILL)
                break
            if time.monotonic() - t0 > timeout:
                proc.kill()
                sys.exit("kill_midway: no complete staging folder after %d s" % timeout)
            time.sleep(0)
        proc.wait()
        err = proc.stderr.read().decode(errors="replace")
        if proc.returncode not in (0, -signal.SIGKILL):
            sys.exit("kill_midway: the command failed (status %s)\n%s" % (proc.returncode, err[-2000:]))
        after = snapshot(target) if os.path.isdir(target) else None
        if after is None:
            print("FAIL: attempt %d: no folder at the target after the kill" % attempt)
            ok = False
        elif after != before:
            print("FAIL: attempt %d: the target is not a complete output (%d files, %d expected, %d differ)%s" %
                  (attempt, len(after), len(before), len(set(before) ^ set(after)), "" if proc.returncode else
                   "; the command finished: it is not deterministic (--during-commit needs identical runs)"))
            ok = False
        if proc.returncode == 0:
            continue  # finished before the kill
        phase = "before the swap" if after is not None and os.stat(target).st_ino == inode else "after the swap"
        landed[phase] += 1
        left = staging_entries(target)
        for p in left:
            if ".partial-" not in os.path.basename(p):
                print("FAIL: attempt %d: unexpected entry beside the target: %s" % (attempt, os.path.basename(p)))
                ok = False
            shutil.rmtree(p, ignore_errors=True) if os.path.isdir(p) else os.remove(p)
    n = sum(landed.values())
    print("kill_midway: %d kills with the writing done (%d before the swap of the folders, %d after it, while "
          "the old output was removed) in %d runs, %d runs finished first; the target held a complete output "
          "every time: %s" % (n, landed["before the swap"], landed["after the swap"], runs, runs - n,
                              "yes" if ok else "NO"))
    if n == 0:
        sys.exit("kill_midway: no kill landed in %d runs; give the command more files" % runs)
    return ok


def run(argv):
    import argparse
    ap = argparse.ArgumentParser(prog="kill_midway.py run")
    ap.add_argument("--target", required=True)
    ap.add_argument("--existing", action="store_true")
    ap.add_argument("--replace-arg", default="--replace")
    ap.add_argument("--min-files", type=int, default=5)
    ap.add_argument("--attempts", type=int, default=1, help="runs to try when the command finishes (or has "
                    "committed) before it is killed: for programs whose staged writing lasts milliseconds")
    ap.add_argument("--during-commit", action="store_true", help="kill the replacing run once its writing is "
                    "done (during the commit) until --attempts kills landed, in at most --max-runs runs; implies "
                    "--existing")
    ap.add_argument("--max-runs", type=int, default=0, help="with --during-commit: runs to make at most (default "
                    "20 x --attempts)")
    ap.add_argument("--rerun-arg", help="after the kill, run the command again with this argument: it must "
                    "report the leftover staging folder by name and leave none (e.g. --remove-stale)")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args(argv)
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    target = os.path.abspath(a.target)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    for p in [target] + staging_entries(target):
        shutil.rmtree(p, ignore_errors=True)
    ok = True
    before = None
    if a.during_commit:
        cmd = cmd + [a.replace_arg]  # the previous output as the replacing run writes it (provenance)
    if a.existing or a.during_commit:
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print("kill_midway: complete previous output: %d files" % len(snapshot(target)))
        if not a.during_commit:
            cmd = cmd + [a.replace_arg]
    if a.during_commit:
        ok = kill_during_commit(cmd, target, snapshot(target), a.attempts, a.max_runs or 20 * a.attempts)
        shutil.rmtree(target, ignore_errors=True)
        return 0 if ok else 1
    for attempt in range(1, a.attempts + 1):
        # A missed attempt ran to completion: a new target, or (--existing) a complete replacement
        # that is the previous output of the next attempt.
        if a.existing:
            before = snapshot(target)
        else:
            shutil.rmtree(target, ignore_errors=True)
        if kill_midway(cmd, target, a.min_files):
            break
        print("kill_midway: attempt %d: the command finished before it could be killed midway" % attempt)
    else:
        sys.exit("kill_midway: the command finished before it could be killed midway in %d attempts; give it "
                 "more work" % a.attempts)
    if before is None:
        if os.path.exists(target):
            print("FAIL: the target %s exists after the kill: %d files of partial output" %
                  (target, len(snapshot(target))))
            ok = False
        else:
            print("ok: the target does not exist after the kill")
    else:
        after = snapshot(target) if os.path.isdir(target) else {}
        if after != before:
            changed = sorted(set(before) ^ set(after) | {k for k in before if after.get(k) != before[k]})
            print("FAIL: the previous output changed: %d files differ, e.g. %s" % (len(changed), changed[:5]))
            ok = False
        else:
            print("ok: the previous output (%d files) is unchanged" % len(after))
    left = staging_entries(target)
    if a.rerun_arg and left:
        r = subprocess.run(cmd + [a.rerun_arg], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = r.stderr.decode(errors="replace")
        named = all(os.path.basename(p) in err for p in left)
        gone = not staging_entries(target)
        print("%s: the next run (%s) %s the leftover and %s" % ("ok" if named and gone and r.returncode == 0 else "FAIL",
              a.rerun_arg, "reports" if named else "does not report", "removes it" if gone else "leaves it"))
        ok = ok and named and gone and r.returncode == 0
        left = staging_entries(target)
    for p in left:
        base = os.path.basename(p)
        if ".partial-" not in base:
            print("FAIL: unexpected entry beside the target: %s" % base)
            ok = False
    print("kill_midway: leftover staging (removed now): %s" % (", ".join(os.path.basename(p) for p in left) or "none"))
    for p in left:
        shutil.rmtree(p, ignore_errors=True) if os.path.isdir(p) else os.remove(p)
    shutil.rmtree(target, ignore_errors=True)
    return 0 if ok else 1


def synth_fer2013(path, per_emotion=12):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        f.write("emotion,pixels,Usage\n")
        for r in range(7 * per_emotion):
            pixels = " ".join(str((31 * r + 7 * i) % 256) for i in range(48 * 48))
            f.write("%d,%s,PublicTest\n" % (r % 7, pixels))
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "run":
        sys.exit(run(sys.argv[2:]))
    if len(sys.argv) >= 3 and sys.argv[1] == "synth-fer2013":
        sys.exit(synth_fer2013(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 12))
    sys.exit(__doc__)
