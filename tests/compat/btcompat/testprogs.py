"""Building the programs bpftrace's runtime tests trace (tests/testprogs,
tests/testlibs of the checkout) into the work directory.

Mirrors what bpftrace's CMake build produces under build/tests: every C/C++
test program as NAME (non-PIE) and NAME-pie, the test libraries as
testlibs/libNAME.so (not executable), and the few derived files tests use
(false.bin, archive.zip, stripped copies with separate debug info). A program
that fails to build is reported and left out; tests that need it fail or skip
on their own REQUIRES.
"""

import glob
import os
import shutil
import subprocess

_CFLAGS = ["-g", "-O0", "-fno-omit-frame-pointer", "-mno-omit-leaf-frame-pointer"]
_NOFP_CFLAGS = ["-g", "-O1", "-fomit-frame-pointer", "-fno-optimize-sibling-calls"]


def _run(cmd, cwd=None):
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    return result.returncode == 0, (result.stderr or result.stdout).strip()


def _first_tool(*names):
    for name in names:
        if shutil.which(name):
            return name
    return None


def _build_libs(tests_dir, out_dir, problems):
    os.makedirs(out_dir, exist_ok=True)
    for source in sorted(glob.glob(os.path.join(tests_dir, "testlibs", "*.c"))):
        name = os.path.splitext(os.path.basename(source))[0]
        target = os.path.join(out_dir, f"lib{name}.so")
        include = os.path.join(tests_dir, "include")
        ok, err = _run(["cc", "-g", "-O0", "-shared", "-fPIC", "-I", include, source, "-o", target])
        if ok:
            os.chmod(target, 0o644)  # bpftrace must trace non-executable shared objects
        else:
            problems.append(f"testlibs/{name}: {err.splitlines()[-1] if err else 'failed'}")


def _build_prog(tests_dir, source, target, pie, libs_dir):
    name = os.path.splitext(os.path.basename(source))[0]
    compiler = "c++" if source.endswith(".cpp") else "cc"
    flags = list(_NOFP_CFLAGS if name == "uprobe_nofp" else _CFLAGS)
    flags += ["-fpie", "-pie"] if pie else ["-no-pie"]
    cmd = [compiler, *flags, "-I", os.path.join(tests_dir, "include"), source, "-o", target]
    if name == "usdt_lib":
        cmd[-2:-2] = ["-fPIC", "-I", os.path.join(tests_dir, "testlibs")]
        cmd += ["-L", libs_dir, "-lusdt_tp", f"-Wl,-rpath,{libs_dir}"]
    cmd += ["-lpthread"]
    return _run(cmd)


def _build_derived(tests_dir, progs_dir, problems):
    objcopy = _first_tool("llvm-objcopy", "llvm-objcopy-19", "objcopy")
    if os.path.exists(os.path.join(progs_dir, "true")) and shutil.which("zip"):
        archive = os.path.join(progs_dir, "archive.zip")
        if os.path.exists(archive):
            os.unlink(archive)
        ok, err = _run(["zip", "-0", "-j", archive, os.path.join(progs_dir, "true")])
        if not ok:
            problems.append(f"archive.zip: {err}")
    if shutil.which("rustc"):
        for source in sorted(glob.glob(os.path.join(tests_dir, "testprogs", "*.rs"))):
            name = os.path.splitext(os.path.basename(source))[0]
            ok, err = _run(["rustc", "-C", "symbol_mangling_version=v0", "-o", os.path.join(progs_dir, name), source])
            if not ok:
                problems.append(f"testprogs/{name}: {err.splitlines()[-1] if err else 'failed'}")
    if not objcopy:
        problems.append("no objcopy: false.bin and the stripped test programs are missing")
        return
    obj = os.path.join(progs_dir, "false.o")
    ok, err = _run(["cc", "-c", os.path.join(tests_dir, "testprogs", "false.c"), "-o", obj])
    ok = ok and _run([objcopy, "-S", "--only-section=.text", "--keep-symbol=main", "-O", "binary", obj,
                      os.path.join(progs_dir, "false.bin")])[0]
    if not ok:
        problems.append("false.bin: build failed")
    if os.path.exists(obj):
        os.unlink(obj)
    external = os.path.join(progs_dir, "external_debug")
    _strip_with_debug(objcopy, progs_dir, "uprobe_test", external, problems)
    _strip_with_debug(objcopy, progs_dir, "uprobe_separate_debug", os.path.join(progs_dir, ".debug"), problems,
                      debuglink=True)
    _build_split_dwarf(tests_dir, external, problems)


def _build_split_dwarf(tests_dir, external, problems):
    """uprobe_test built with split DWARF: .dwo files (dwo/) and a DWARF package (dwp/)."""
    source = os.path.join(tests_dir, "testprogs", "uprobe_test.c")
    for kind in ("dwo", "dwp"):
        out_dir = os.path.join(external, kind)
        os.makedirs(out_dir, exist_ok=True)
        ok, err = _run(["cc", "-g", "-O0", "-gsplit-dwarf", source, "-o", "uprobe_test-split"], cwd=out_dir)
        if ok and kind == "dwp":
            dwp = _first_tool("llvm-dwp", "llvm-dwp-19")
            ok, err = _run([dwp, "-e", "uprobe_test-split", "-o", "uprobe_test-split.dwp"], cwd=out_dir) if dwp else (
                False, "no llvm-dwp")
            for leftover in glob.glob(os.path.join(out_dir, "*.dwo")):
                os.unlink(leftover)
        if not ok:
            problems.append(f"external_debug/{kind}/uprobe_test-split: {err}")


def _strip_with_debug(objcopy, progs_dir, name, debug_dir, problems, debuglink=False):
    binary = os.path.join(progs_dir, name)
    if not os.path.exists(binary):
        return
    os.makedirs(debug_dir, exist_ok=True)
    stripped = f"{binary}-stripped"
    debug = os.path.join(debug_dir, f"{name}-stripped.debug")
    steps = [[objcopy, "--only-keep-debug", binary, debug], [objcopy, "--strip-debug", binary, stripped]]
    if debuglink:
        steps.append([objcopy, f"--add-gnu-debuglink={debug}", stripped])
    for step in steps:
        ok, err = _run(step)
        if not ok:
            problems.append(f"{name}-stripped: {err}")
            return


def build(tests_dir, cwd):
    """Build into cwd/testprogs and cwd/testlibs; returns a list of problems."""
    problems = []
    progs_dir = os.path.join(cwd, "testprogs")
    libs_dir = os.path.join(cwd, "testlibs")
    os.makedirs(progs_dir, exist_ok=True)
    _build_libs(tests_dir, libs_dir, problems)
    sources = sorted(glob.glob(os.path.join(tests_dir, "testprogs", "*.c")))
    sources += sorted(glob.glob(os.path.join(tests_dir, "testprogs", "*.cpp")))
    for source in sources:
        name = os.path.splitext(os.path.basename(source))[0]
        for pie in (False, True):
            target = os.path.join(progs_dir, name + ("-pie" if pie else ""))
            ok, err = _build_prog(tests_dir, source, target, pie, libs_dir)
            if not ok:
                problems.append(f"testprogs/{os.path.basename(target)}: {err.splitlines()[-1] if err else 'failed'}")
    _build_derived(tests_dir, progs_dir, problems)
    return problems
