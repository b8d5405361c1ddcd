#!/usr/bin/env bash
# The report of the demo data in a real browser:
#   check_report.sh GEN_DATA RENDER_DEMO OUT_DIR
# Generates the demo data set (as examples/demo.sh does), renders its report
# to OUT_DIR/demo.html, checks that every section is there and that every
# inline SVG is well-formed XML (Python's XML parser, when python3 is
# installed), then has a headless Chromium draw the page to OUT_DIR/demo.png.
# Fails on any console message (the page has no script, so any message is a
# problem: a blocked resource, a parse error). Exits 77 (CTest "skipped")
# when no Chromium is found; CHROMIUM names the browser to use.
set -euo pipefail

if (($# != 3)); then
    echo "usage: $0 GEN_DATA RENDER_DEMO OUT_DIR" >&2
    exit 2
fi
gen="$1"
render="$2"
out="$3"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/crmkit-report.XXXXXX")"
trap 'rm -rf "$work"' EXIT
fail() {
    echo "check_report: $*" >&2
    exit 1
}

mkdir -p "$work/data"
"$gen" --out "$work/data" >/dev/null
"$render" "$work/data" "$out/demo.html" || fail "render_demo failed"
echo "-- report of the demo data: $out/demo.html ($(wc -c <"$out/demo.html") bytes)"

python=""
for candidate in /usr/bin/python3 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then
        python="$candidate"
        break
    fi
done
if [[ -n "$python" ]]; then
    "$python" - "$out/demo.html" <<'EOF' || fail "the report's structure is wrong (above)"
import re
import sys
import xml.etree.ElementTree as ET

page = open(sys.argv[1], encoding="utf-8").read()
problems = []
for section in ["rfm", "segments", "value", "profit", "bands", "lifecycle", "states", "churn", "complaints",
                "mix", "model", "holdout", "call-list", "care", "records"]:
    if f'id="{section}"' not in page:
        problems.append(f"section {section} missing")
blocks = re.findall(r"<svg\b.*?</svg>", page, re.S)
for i, block in enumerate(blocks):
    try:
        ET.fromstring(block)
    except ET.ParseError as e:
        problems.append(f"SVG block {i} is not well-formed XML: {e}")
if len(blocks) < 20:
    problems.append(f"only {len(blocks)} SVG blocks")
# The demo data has every optional input: no Part II section may say it lacks one.
for why_not in ["No profit figures", "No outbound contact with a purpose", "No customer attributes were supplied",
                "No key dates", "no win-back actions"]:
    if why_not in page:
        problems.append(f"the demo's report says {why_not!r}")
for bad in ["<script", "https:", " src=", " href="]:
    if bad in page:
        problems.append(f"the page holds {bad!r}")
for p in problems:
    print("check_report:", p, file=sys.stderr)
print(f"-- {len(blocks)} SVG blocks, all well-formed XML; every section present")
sys.exit(1 if problems else 0)
EOF
else
    echo "-- python3 not found: SVG checked by test_report only"
fi

browser="${CHROMIUM:-}"
if [[ -z "$browser" ]]; then
    for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
        if command -v "$candidate" >/dev/null 2>&1; then
            browser="$candidate"
            break
        fi
    done
fi
if [[ -z "$browser" ]] || ! command -v "$browser" >/dev/null 2>&1; then
    echo "check_report: no Chromium found (Debian: apt-get install chromium), skipped"
    exit 77
fi

# Its own profile and home, so that parallel runs and read-only homes are fine.
mkdir -p "$work/home" "$work/profile"
url="file://${out// /%20}/demo.html"
rm -f "$out/demo.png"
timeout_cmd=()
command -v timeout >/dev/null 2>&1 && timeout_cmd=(timeout 180)
status=0
HOME="$work/home" ${timeout_cmd[@]+"${timeout_cmd[@]}"} "$browser" --headless --no-sandbox --disable-gpu \
    --no-first-run --no-default-browser-check --hide-scrollbars --user-data-dir="$work/profile" \
    --enable-logging=stderr --v=0 --window-size=1280,8000 --screenshot="$out/demo.png" "$url" \
    >"$work/browser.out" 2>"$work/browser.err" || status=$?
if ((status != 0)); then
    cat "$work/browser.out" "$work/browser.err" >&2
    fail "$browser exited with status $status"
fi
if grep -E ':CONSOLE[(:]' "$work/browser.err" >"$work/console.txt"; then
    cat "$work/console.txt" >&2
    fail "the page wrote $(wc -l <"$work/console.txt") console message(s)"
fi
[[ -s "$out/demo.png" ]] || fail "no screenshot written"
[[ "$(head -c 8 "$out/demo.png" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ]] ||
    fail "demo.png is not a PNG"
size="$(wc -c <"$out/demo.png")"
((size > 100000)) || fail "demo.png is only $size bytes: the page looks empty"
echo "-- $browser drew the report without console messages: $out/demo.png ($size bytes)"
