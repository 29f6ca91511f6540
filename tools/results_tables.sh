# Sourced by the *_tables.sh scripts: `table FOLDER NAME [FLAGS]` writes one generated table of $out (set by the
# caller), NAME.md and NAME.json, with `shear results compare` over the runs of experiment folder FOLDER under RUNS
# (default: runs) and any further results-compare FLAGS; a missing folder is skipped with a note, not an error.
shear="dotnet ${SHEAR_DLL:-artifacts/bin/Shear.Cli/release/shear.dll}"
table() {
  local folder=${RUNS:-runs}/$1 name=$2
  shift 2
  [ -d "$folder" ] || { echo "skipping $name: no $folder" >&2; return 0; }
  $shear results compare "$folder" --markdown $out/$name.md --json $out/$name.json "$@" > /dev/null
}
