#!/usr/bin/env bash
# Run every libFuzzer target of a build for a bounded time, from its seed
# corpus in tests/fuzz/corpus/<target>/ (copied, so the repository's corpus
# is not changed), `jobs` targets at a time. Fails when any target finds a
# crash, a leak or a unit slower than 30 s; the input is then kept in the
# printed artifact path.
#   usage: run_fuzzers.sh <folder of fuzz_* executables> [seconds per target] [jobs]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$1"
seconds="${2:-40}"
jobs="${3:-2}"
work="$(mktemp -d "${TMPDIR:-/tmp}/crmkit-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mapfile -t targets < <(find "$bin" -maxdepth 1 -type f -name 'fuzz_*' -perm -u+x -printf '%f\n' | sort)
if ((${#targets[@]} == 0)); then
    echo "run_fuzzers.sh: no fuzz_* executables in $bin" >&2
    exit 1
fi
run_one() {
    local name="$1" corpus="$work/$1"
    mkdir -p "$corpus" "$work/artifacts"
    if [[ -d "$here/corpus/$name" ]]; then cp -r "$here/corpus/$name/." "$corpus/"; fi
    if "$bin/$name" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/$name-" "$corpus" >"$work/$name.log" 2>&1; then
        printf 'ok   %-16s %s\n' "$name" "$(grep -E '^stat::number_of_executed_units' "$work/$name.log" | awk '{print $2 " runs"}')"
    else
        tail -n 60 "$work/$name.log"
        ls "$work/artifacts" >&2 || true
        printf 'FAIL %s\n' "$name"
        return 1
    fi
}
failed=0
pids=()
names=()
for name in "${targets[@]}"; do
    run_one "$name" &
    pids+=($!)
    names+=("$name")
    if ((${#pids[@]} >= jobs)); then
        wait "${pids[0]}" || failed=1
        pids=("${pids[@]:1}")
    fi
done
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
if ((failed)); then
    # Keep the crashing inputs where the caller can find them.
    mkdir -p "$bin/artifacts"
    cp -r "$work/artifacts/." "$bin/artifacts/" 2>/dev/null || true
    echo "run_fuzzers.sh: a target failed; its inputs are in $bin/artifacts" >&2
    exit 1
fi
