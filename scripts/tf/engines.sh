#!/usr/bin/env bash
# Runs Terraform and OpenTofu over the module's directories, both engines at
# once. Each engine works in its own copy of the repository under the cache
# (so they never share a .terraform.lock.hcl, and nothing is written to the
# checkout) with TF_DATA_DIR kept between runs, and each directory is
# initialised once for all the steps asked for.
#
# usage: engines.sh STEPS DIR...
#   STEPS  comma-separated: validate, test (test runs only where tests/ exists)
#   DIR    directories relative to the repository root ("." is the root module)
# environment:
#   TF_ENGINE_BINS      "name=binary ..." (for example "terraform=terraform tofu=/x/tofu")
#   TF_STAGE_DIR        where the copies and data dirs live
#   TF_CLI_CONFIG_FILE  the CLI config written by make tf-tools
#   TF_SERIAL=1         run the engines one after the other
set -euo pipefail

steps=$1
shift
repo=$(cd "$(dirname "$0")/../.." && pwd)
: "${TF_ENGINE_BINS:?}" "${TF_STAGE_DIR:?}" "${TF_CLI_CONFIG_FILE:?}"

stage() { # engine -> fresh copy of the sources in $TF_STAGE_DIR/<engine>/src
  local dst=$TF_STAGE_DIR/$1/src
  rm -rf "$dst"
  mkdir -p "$dst"
  tar -C "$repo" -cf - \
    --exclude=./.git --exclude='node_modules' --exclude=.terraform --exclude=.terraform.lock.hcl \
    --exclude='./examples/cdktf/.gen' --exclude='./examples/cdktf/cdktf.out' --exclude='*.tfstate*' . |
    tar -C "$dst" -xf -
}

run_engine() { # name binary
  local name=$1 bin=$2 dir rc=0 t0 t
  local src=$TF_STAGE_DIR/$name/src
  stage "$name"
  for dir in "${dirs[@]}"; do
    export TF_DATA_DIR=$TF_STAGE_DIR/$name/data/${dir//\//_}
    t0=$SECONDS
    if ! (cd "$src/$dir" && "$bin" init -backend=false -input=false -no-color >"$TF_DATA_DIR.init.log" 2>&1); then
      echo "$name: init $dir FAILED"
      cat "$TF_DATA_DIR.init.log"
      rc=1
      continue
    fi
    if [[ ,$steps, == *,validate,* ]]; then
      if (cd "$src/$dir" && "$bin" validate -no-color); then
        echo "$name: validate $dir ok"
      else
        echo "$name: validate $dir FAILED"
        rc=1
      fi
    fi
    if [[ ,$steps, == *,test,* && -d $src/$dir/tests ]]; then
      if (cd "$src/$dir" && "$bin" test -no-color); then
        echo "$name: test $dir ok"
      else
        echo "$name: test $dir FAILED"
        rc=1
      fi
    fi
    t=$((SECONDS - t0))
    echo "$name: $dir done in ${t}s"
  done
  return $rc
}

dirs=("$@")
mkdir -p "$TF_STAGE_DIR"
pids=()
names=()
for pair in $TF_ENGINE_BINS; do
  name=${pair%%=*}
  bin=${pair#*=}
  mkdir -p "$TF_STAGE_DIR/$name/data"
  log=$TF_STAGE_DIR/$name.log
  if [[ ${TF_SERIAL:-} == 1 ]]; then
    run_engine "$name" "$bin" >"$log" 2>&1 && echo "$name: ok" || echo "$name: FAILED"
    pids+=("")
  else
    run_engine "$name" "$bin" >"$log" 2>&1 &
    pids+=("$!")
  fi
  names+=("$name")
done

status=0
for i in "${!names[@]}"; do
  name=${names[$i]}
  log=$TF_STAGE_DIR/$name.log
  if [[ -n ${pids[$i]} ]]; then
    wait "${pids[$i]}" || true
  fi
  if grep -q FAILED "$log"; then
    echo "=== $name: FAILED (full log: $log)"
    cat "$log"
    status=1
  else
    echo "=== $name: all passed"
    grep -E "^$name: |^(Success|Failure)!" "$log" || true
  fi
done
exit $status
