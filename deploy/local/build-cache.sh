# Sourced by run.sh and test.sh: one build cache per machine, shared by every checkout, so that a
# fresh clone does not rebuild every dependency (a dangling link from another machine's layout is
# replaced by a directory). An explicit CARGO_TARGET_DIR wins.
cache="$HOME/.cache/consigne/target"
if [ -L "$cache" ] && [ ! -e "$cache" ]; then rm -f "$cache"; fi
mkdir -p "$cache"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$cache}"
# No incremental compilation: a full run gains nothing from it and its files fill the disk. Set
# here, for run.sh and test.sh alike, since a different setting rebuilds every dependency.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
