#!/bin/sh
# GUI smoke test: imports the golden fixture, renders the console under Xvfb with a query, a
# selection and cursor A, writes the screenshot to OUT and checks that it is not blank.
# usage: gui_smoke.sh ASOF ASOF_GUI PNG_CHECK FIXTURE OUT
set -eu
asof=$1 gui=$2 check=$3 fixture=$4 out=$5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$asof" import "$fixture" -o "$work/golden.asof" -q
# Mesa and X libraries keep allocations until exit; leaks there are not ours.
ASAN_OPTIONS=detect_leaks=0 xvfb-run -a -s "-screen 0 1600x1000x24" \
    "$gui" "$work/golden.asof" --query "discrepancy #4721" --now 2026-04-17T10:00:00+02:00 \
    --tz Europe/Berlin --at "wednesday 14:00" --select 15 --screenshot "$out" --size 1400x900
"$check" "$out" 1400 900
