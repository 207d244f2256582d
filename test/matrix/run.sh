#!/usr/bin/env bash
# The platform matrix: a cross-version subset of the suite on each supported Node.js major (taken
# from the npm registry's `node` package) against the newest @pulumi/pulumi, and on the oldest
# Node.js against the oldest @pulumi/pulumi the peer range admits. Each cell works in a fresh copy
# of the project in a temporary folder (nothing is kept between runs), builds and typechecks it
# with that cell's Node and Pulumi, then runs the subset. Prints one summary line per cell and
# exits non-zero if any cell failed.
#
#   test/matrix/run.sh            every cell
#   test/matrix/run.sh 22:latest  only the cells named (node major:@pulumi/pulumi version)
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"

# The cells: Node.js major and @pulumi/pulumi version. `latest` is resolved from the registry at
# run time, so the matrix keeps trying what a new user installs today. The floor is the peer
# range's lower bound (package.json peerDependencies) and must stay equal to it.
DEFAULT_CELLS=("22:latest" "24:latest" "20:floor")

# The subset: the SDK against the emulator, each DMS engine end to end, the emulator's API and the
# official SDK against it, the data function (mocked engine), the gate through the real
# dynamic-provider host over gRPC, and the CLI (in process, and built, with the demo).
SUBSET=(
  test/sdk
  test/engines
  test/emulator/api.test.ts
  test/emulator/official-sdk.test.ts
  test/provider/program-preview.test.ts
  test/provider/program-update.test.ts
  test/provider/dynamic-host.test.ts
  test/cli/built.test.ts
  test/cli/commands.test.ts
)

floor_version() {
  node -e 'const r = require(process.argv[1]).peerDependencies["@pulumi/pulumi"]; const m = /^>=\s*(\d+)\.(\d+)(?:\.(\d+))?/.exec(r); if (!m) { console.error("cannot read the floor of " + r); process.exit(1); } console.log(`${m[1]}.${m[2]}.${m[3] ?? 0}`);' "$ROOT/package.json"
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/rocketmq-tasks-matrix.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# Installs node@<major> from the registry into $WORK/node-<major>; prints its bin folder.
install_node() {
  local major="$1" dir="$WORK/node-$1"
  if [[ ! -x "$dir/node_modules/node/bin/node" ]]; then
    npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error "node@$major" >"$dir.log" 2>&1 || { cat "$dir.log" >&2; return 1; }
  fi
  echo "$dir/node_modules/node/bin"
}

# Copies the project's sources (not node_modules, dist or .git) into a fresh folder.
copy_project() {
  local dest="$1"
  mkdir -p "$dest"
  tar -C "$ROOT" --exclude=./node_modules --exclude=./dist --exclude=./.git -cf - . | tar -C "$dest" -xf -
}

run_cell() {
  # A folder name without ':' (npm puts node_modules/.bin on PATH, where ':' separates entries).
  local major="${1%%:*}" pulumi="${1#*:}" cell="$WORK/cell-${1//:/-}" bin log started
  log="$cell.log"
  started=$(date +%s)
  [[ "$pulumi" == floor ]] && pulumi="$(floor_version)"
  {
    echo "=== cell node@$major, @pulumi/pulumi@$pulumi"
    bin="$(install_node "$major")" || return 1
    copy_project "$cell" &&
      cd "$cell" &&
      export PATH="$bin:$PATH" &&
      node --version &&
      # An exact devDependency on the cell's version: npm resolves the rest of the lock around it.
      npm install --no-audit --no-fund --loglevel=error --save-dev --save-exact "@pulumi/pulumi@$pulumi" &&
      CELL_PULUMI="$(node -p 'require("@pulumi/pulumi/package.json").version')" &&
      echo "installed @pulumi/pulumi $CELL_PULUMI" &&
      npm run --silent build &&
      npm run --silent typecheck &&
      npx jest --maxWorkers=2 "${SUBSET[@]}"
  } >"$log" 2>&1
  local rc=$?
  CELL_NODE="$("$WORK/node-$major/node_modules/node/bin/node" --version 2>/dev/null || echo "node@$major?")"
  CELL_PULUMI="$(cd "$cell" 2>/dev/null && "$WORK/node-$major/node_modules/node/bin/node" -p 'require("@pulumi/pulumi/package.json").version' 2>/dev/null || echo "$pulumi?")"
  CELL_TESTS="$(grep -E '^Tests:' "$log" | tail -1 | sed 's/^Tests: *//')"
  CELL_SECONDS=$(( $(date +%s) - started ))
  return $rc
}

cells=("$@")
[[ ${#cells[@]} -eq 0 ]] && cells=("${DEFAULT_CELLS[@]}")
summary=()
failed=0
for c in "${cells[@]}"; do
  if (run_cell "$c"; rc=$?; echo "$CELL_NODE|$CELL_PULUMI|$CELL_TESTS|$CELL_SECONDS" >"$WORK/cell-${c//:/-}.result"; exit $rc); then
    status=PASS
  else
    status=FAIL
    failed=1
    echo "--- cell $c failed; the end of its log:" >&2
    tail -60 "$WORK/cell-${c//:/-}.log" >&2
  fi
  IFS='|' read -r n p t s <"$WORK/cell-${c//:/-}.result"
  summary+=("$(printf 'matrix: %-4s Node %-9s @pulumi/pulumi %-8s %4ss  %s' "$status" "$n" "$p" "$s" "${t:-no jest summary}")")
done

echo
echo "Platform matrix (subset: ${SUBSET[*]})"
printf '%s\n' "${summary[@]}"
exit $failed
