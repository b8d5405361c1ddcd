#!/usr/bin/env bash
# The Python package as a user installs it: a fresh virtual environment,
# python/install.sh (library built, wheel made and installed offline), then
# the installed package used from outside the source tree, with no
# PYTHONPATH and no CRMKIT_LIBRARY: it must find its bundled library.
#   check_install.sh PYTHON WORK_DIR
set -euo pipefail
if (($# != 2)); then
    echo "usage: $0 PYTHON WORK_DIR" >&2
    exit 2
fi
py="$1" work="$2"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rm -rf "$work/venv" "$work/wheel"
mkdir -p "$work"
"$py" -m venv "$work/venv"
venv_py="$work/venv/bin/python"
unset PYTHONPATH CRMKIT_LIBRARY
bash "$root/python/install.sh" --python "$venv_py" --build-dir "$work/build" --wheel-dir "$work/wheel"
ls "$work/wheel"/crmkit-*.whl >/dev/null

cd "$work" # not the source tree: the installed package, not python/crmkit
"$venv_py" - "$root/tests/data/cdnow/cdnow_customers_summary.csv" <<'EOF'
import csv, os, pickle, sys
import crmkit

here = os.path.realpath(crmkit.__file__)
venv = os.path.realpath(sys.prefix)
assert here.startswith(venv), "crmkit imported from %s, not the virtual environment %s" % (here, venv)
assert os.path.exists(os.path.join(os.path.dirname(here), "py.typed")), "py.typed is not installed"

r = crmkit.analyze(["C-1", "C-1", "C-2"], ["2024-01-02", "2024-02-01", "2024-01-10"], [10.0, 5.5, 20.0])
rows = {r.row(i)["customer_id"]: r.row(i) for i in range(len(r))}
assert rows["C-1"]["monetary"] == 15.5 and rows["C-1"]["purchase_days"] == 2, rows["C-1"]
assert rows["C-2"]["monetary"] == 20.0, rows["C-2"]

with open(sys.argv[1]) as f:
    data = list(csv.DictReader(f))
m = crmkit.fit("bgnbd", x=[float(d["frequency"]) for d in data], t_x=[float(d["recency"]) for d in data],
               T=[float(d["T"]) for d in data])
p = m.params
r_, alpha, a, b = p["r"], p["alpha"], p["a"], p["b"]
assert abs(r_ - 0.2426) < 5e-4 and abs(alpha - 4.414) < 5e-3 and abs(a - 0.793) < 5e-3 and abs(b - 2.426) < 5e-3, m.params
assert pickle.loads(pickle.dumps(m)).params == m.params
print("installed crmkit %s from %s: analysis and BG/NBD on CDNOW as expected" % (crmkit.library_version(), here))
EOF
