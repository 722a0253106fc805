#!/usr/bin/env bash
# make size: raw / gzip / brotli bytes of every file the release build left in target/site/pkg
# (the .gz and .br copies are made by `cargo leptos build --release --precompress`), and the
# wasm + JS total a browser downloads, checked against the budget in bench/size-budget.txt.
# With islands every page loads the same one wasm and JS (plus the CSS), so that total is also the
# per-page figure; the bytes each page fetches in a browser (HTML included) are measured by the
# Playwright run (end2end/tests/islands.spec.ts -> target/bench/pages.md) and shown here when present.
# Writes target/bench/size.md; exits 1 when the budget is exceeded.
set -euo pipefail
PKG=${PKG:-target/site/pkg}
BUDGET_FILE=${BUDGET_FILE:-bench/size-budget.txt}
OUT=target/bench/size.md
mkdir -p target/bench
[ -d "$PKG" ] || { echo "ERROR: $PKG is missing: run make build first" >&2; exit 1; }
size() { stat -c %s "$1"; }
{
  echo "| file | raw | gzip | brotli |"
  echo "|---|---:|---:|---:|"
} > "$OUT"
total_raw=0 total_gz=0 total_br=0
for f in "$PKG"/*; do
  case "$f" in *.br|*.gz) continue ;; esac
  raw=$(size "$f")
  gz=$([ -f "$f.gz" ] && size "$f.gz" || gzip -9 -c "$f" | wc -c)
  if [ -f "$f.br" ]; then br=$(size "$f.br"); else echo "ERROR: no brotli copy of $f (build with --precompress)" >&2; exit 1; fi
  echo "| $(basename "$f") | $raw | $gz | $br |" >> "$OUT"
  case "$f" in
    *.wasm|*.js) total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); total_br=$((total_br + br)) ;;
  esac
done
budget=$(grep -vE '^\s*(#|$)' "$BUDGET_FILE" | head -1 | tr -d ' ')
echo "| **wasm + JS (every page)** | $total_raw | $total_gz | **$total_br** |" >> "$OUT"
echo >> "$OUT"
echo "Budget (brotli bytes of wasm + JS, $BUDGET_FILE): $budget; goal of issue 8: 204800 on any page." >> "$OUT"
cat "$OUT"
if [ -f target/bench/pages.md ]; then
  echo
  echo "Per page, from the last Playwright run ($(date -r target/bench/pages.md -u '+%Y-%m-%d %H:%M UTC')):"
  cat target/bench/pages.md
fi
if [ "$total_br" -gt "$budget" ]; then
  echo "ERROR: wasm + JS is $total_br brotli bytes, over the budget of $budget in $BUDGET_FILE." >&2
  echo "Make it smaller, or raise the budget deliberately in a commit that says why." >&2
  exit 1
fi
echo "size: wasm + JS $total_br brotli bytes, within the budget of $budget"
