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
DEFAULT_CELLS=("22:latest" "24:latest" "26:latest" "20:floor")

# The subset: the SDK against the emulator, each DMS engine end to end, the emulator's API and the
# official SDK against it, the data function (mocked engine), the gate through the real
# dynamic-provider host over gRPC, the CLI (in process, and built, with the demo), the shared
# authentication gate under concurrency, and the shipped plugin as the engine drives it.
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
  test/reliability/shared-auth.test.ts
  test/plugin/contract.test.ts
)

floor_version() {
  node -e 'const r = require(process.argv[1]).peerDependencies["@pulumi/pulumi"]; const m = /^>=\s*(\d+)\.(\d+)(?:\.(\d+))?/.exec(r); if (!m) { console.error("cannot read the floor of " + r); process.exit(1); } console.log(`${m[1]}.${m[2]}.${m[3] ?? 0}`);' "$ROOT/package.json"
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/rocketmq-tasks-matrix.XXXXXX")"
# The running step of a cell (installation or tests) runs in a process group of its own: stopping
# the matrix (Ctrl-C, or CI's SIGTERM) ends that step with everything it started (npm, jest and its
# workers, emulators), then removes the cells' folders. Bash runs an EXIT trap on `exit` but not when
# killed by a signal, hence the INT/TERM traps that turn the signal into an exit.
STEP_PID=""
cleanup() {
  if [[ -n "$STEP_PID" ]]; then
    kill -TERM -- "-$STEP_PID" 2>/dev/null
    # The whole group, not only its leader: npm may still be writing into the folder removed below.
    local tries=0
    while kill -0 -- "-$STEP_PID" 2>/dev/null && ((tries++ < 100)); do sleep 0.1; done
    kill -KILL -- "-$STEP_PID" 2>/dev/null
    wait "$STEP_PID" 2>/dev/null
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs "$@" as a background job in its own process group and waits for it (a signal interrupts the
# wait at once; it would not interrupt a foreground command).
run_step() {
  local rc
  set -m
  "$@" &
  STEP_PID=$!
  set +m
  wait "$STEP_PID"
  rc=$?
  STEP_PID=""
  return $rc
}

# A cell's folder: no ':' in it (npm puts node_modules/.bin on PATH, where ':' separates entries).
cell_dir() { echo "$WORK/cell-${1//:/-}"; }

# Installs node@<major> from the registry into $1/node; prints nothing.
install_node() {
  npm install --prefix "$1/node" --no-audit --no-fund --no-save --loglevel=error "node@$2"
}

# Copies the project's sources (not node_modules, dist or .git) into a fresh folder.
copy_project() {
  mkdir -p "$1"
  tar -C "$ROOT" --exclude=./node_modules --exclude=./dist --exclude=./.git -cf - . | tar -C "$1" -xf -
}

# Installs the cell's Node.js and, in a fresh copy of the project, its @pulumi/pulumi.
prepare_cell() {
  local major="${1%%:*}" pulumi="${1#*:}" dir
  dir="$(cell_dir "$1")"
  [[ "$pulumi" == floor ]] && pulumi="$(floor_version)"
  mkdir -p "$dir"
  (
    echo "=== cell $1: node@$major, @pulumi/pulumi@$pulumi"
    install_node "$dir" "$major" &&
      copy_project "$dir/project" &&
      cd "$dir/project" &&
      export PATH="$dir/node/node_modules/node/bin:$PATH" &&
      node --version &&
      # An exact devDependency on the cell's version: npm resolves the rest of the lock around it.
      npm install --no-audit --no-fund --loglevel=error --save-dev --save-exact "@pulumi/pulumi@$pulumi" &&
      echo "installed @pulumi/pulumi $(node -p 'require("@pulumi/pulumi/package.json").version')"
  ) >"$dir/prepare.log" 2>&1
}

# Builds, typechecks and runs the subset in a prepared cell, with the cell's Node.js.
test_cell() {
  local dir
  dir="$(cell_dir "$1")"
  (
    cd "$dir/project" &&
      export PATH="$dir/node/node_modules/node/bin:$PATH" &&
      npm run --silent build &&
      npm run --silent typecheck &&
      npx jest --maxWorkers=2 "${SUBSET[@]}"
  ) >"$dir/test.log" 2>&1
}

cells=("$@")
[[ ${#cells[@]} -eq 0 ]] && cells=("${DEFAULT_CELLS[@]}")
started=$(date +%s)
summary=()
failed=0
# One cell at a time, installation included: several suites wait on real timers (a gate sees a
# task's every status), which a second cell's installation competing for the CPU would upset.
for c in "${cells[@]}"; do
  dir="$(cell_dir "$c")"
  status=PASS
  cell_started=$(date +%s)
  if ! run_step prepare_cell "$c"; then
    status=FAIL
    log="$dir/prepare.log"
  else
    tested=$(date +%s)
    run_step test_cell "$c" || status=FAIL
    log="$dir/test.log"
  fi
  node_bin="$dir/node/node_modules/node/bin/node"
  n="$("$node_bin" --version 2>/dev/null || echo "node@${c%%:*}?")"
  p="$(cd "$dir/project" 2>/dev/null && "$node_bin" -p 'require("@pulumi/pulumi/package.json").version' 2>/dev/null || echo "${c#*:}?")"
  t="$(grep -E '^Tests:' "$dir/test.log" 2>/dev/null | tail -1 | sed 's/^Tests: *//')"
  if [[ $status == FAIL ]]; then
    failed=1
    echo "--- cell $c failed; the end of $log:" >&2
    tail -80 "$log" >&2
    t="${t:-failed before the tests (see above)}"
  fi
  now=$(date +%s)
  echo "matrix: cell $c $status in $((now - cell_started))s (installation $((${tested:-$now} - cell_started))s, build, typecheck and tests $((now - ${tested:-$now}))s)"
  summary+=("$(printf 'matrix: %-4s Node %-9s @pulumi/pulumi %-8s %s' "$status" "$n" "$p" "${t:-no jest summary}")")
  unset tested
done

echo
echo "Platform matrix, $(($(date +%s) - started))s (subset: ${SUBSET[*]})"
printf '%s\n' "${summary[@]}"
exit $failed
