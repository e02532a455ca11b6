#!/usr/bin/env bash
# Writes the Terraform/OpenTofu CLI config used by every tf-* target.
#
# usage: cli-config.sh OUT_FILE MIRROR_DIR
#
# With a provider mirror (filesystem-mirror layout under
# MIRROR_DIR/registry.terraform.io/<ns>/<type>/, unpacked or as written by
# `terraform providers mirror`),
# both engines install those providers from it and nothing else from the
# network. OpenTofu resolves "hashicorp/aws" to registry.opentofu.org, so a
# tree of symlinks next to OUT_FILE serves the same binaries under both host
# names. Without a mirror the engines use their public registries (with a
# shared plugin cache), when those are reachable; otherwise this fails with
# what to install.
set -euo pipefail

out=$1
mirror=$2
dir=$(dirname "$out")
links=$dir/provider-mirror
mkdir -p "$dir"

if [[ -d $mirror/registry.terraform.io ]]; then
  # Same tree (either layout: unpacked <version>/<os_arch>/ directories or
  # packed .zip archives with their JSON indexes) under both host names, real
  # directories holding symlinks to the mirror's files.
  rm -rf "$links"
  includes=()
  while IFS= read -r file; do
    rel=${file#"$mirror"/registry.terraform.io/}
    for host in registry.terraform.io registry.opentofu.org; do
      mkdir -p "$links/$host/$(dirname "$rel")"
      ln -s "$file" "$links/$host/$rel"
    done
  done < <(find -L "$mirror/registry.terraform.io" -mindepth 3 -type f | sort)
  while IFS= read -r nstype; do
    rel=${nstype#"$mirror"/registry.terraform.io/}
    includes+=("\"registry.terraform.io/$rel\"" "\"registry.opentofu.org/$rel\"")
  done < <(find -L "$mirror/registry.terraform.io" -mindepth 2 -maxdepth 2 -type d | sort)
  if [[ ${#includes[@]} -eq 0 ]]; then
    echo "tf-tools: $mirror holds no provider packages (expected $mirror/registry.terraform.io/<ns>/<type>/<version>/<os_arch>/)" >&2
    exit 1
  fi
  list=$(printf '%s\n' "${includes[@]}" | paste -sd, - | sed 's/,/, /g')
  cat >"$out.tmp" <<EOF
# Written by make tf-tools (scripts/tf/cli-config.sh): providers from the
# filesystem mirror $mirror, everything else from the registries.
provider_installation {
  filesystem_mirror {
    path    = "$links"
    include = [$list]
  }
  direct {
    exclude = [$list]
  }
}
EOF
  mv "$out.tmp" "$out"
  echo "tf-tools: providers from the mirror $mirror ($list)"
  exit 0
fi

if curl -fsS --max-time 10 -o /dev/null https://registry.terraform.io/.well-known/terraform.json 2>/dev/null; then
  mkdir -p "$dir/plugin-cache"
  cat >"$out.tmp" <<EOF
# Written by make tf-tools (scripts/tf/cli-config.sh): no provider mirror at
# $mirror, so providers come from the public registries, cached here.
plugin_cache_dir = "$dir/plugin-cache"
EOF
  mv "$out.tmp" "$out"
  echo "tf-tools: no mirror at $mirror; providers from the public registries"
  exit 0
fi

cat >&2 <<EOF
tf-tools: cannot install the hashicorp/aws provider.
  There is no provider mirror at $mirror and registry.terraform.io is not reachable.
  Put hashicorp/aws (>= 5.100) in a filesystem mirror, for example on a machine online:
      terraform providers mirror -platform=linux_amd64 /path/to/mirror   (in this repository)
  copy /path/to/mirror here, and run make with TF_PROVIDER_MIRROR=/path/to/mirror.
EOF
exit 1
