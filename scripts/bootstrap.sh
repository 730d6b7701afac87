#!/usr/bin/env bash
# Installs what the build, the tests and the demo need, and skips what is already present.
# Everything comes from the package registries: crates.io, PyPI, Debian, npm.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

step "Rust toolchain (rust-toolchain.toml)"
if ! command -v rustup >/dev/null; then
  echo "rustup is missing: install Rust with rustup first (https://rustup.rs)" >&2
  exit 1
fi
# The pinned toolchain with the components and target the file lists, from static.rust-lang.org; a no-op when
# present. rustup before 1.28 has no argument-less `toolchain install` but installs it on `rustup show`.
rustup toolchain install --no-self-update >/dev/null 2>&1 || rustup show active-toolchain >/dev/null
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  note "wasm32-unknown-unknown: present"
else
  rustup target add wasm32-unknown-unknown
fi
# rust-src: scripts/build.sh rebuilds std for the wasm (-Zbuild-std).
for component in rust-src clippy rustfmt; do
  if rustup component list --installed | grep -q "^$component"; then
    note "$component: present"
  else
    rustup component add "$component"
  fi
done

step "wasm-bindgen CLI"
[ -f Cargo.lock ] || cargo generate-lockfile
want="$(wasm_bindgen_version)"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" = "$want" ] && command -v wasm-bindgen-test-runner >/dev/null; then
  note "wasm-bindgen $have: present"
else
  note "installing wasm-bindgen-cli $want (have: ${have:-none}); this takes about 5 minutes"
  cargo install wasm-bindgen-cli --version "$want" --locked || cargo install wasm-bindgen-cli --version "$want" --force
fi

step "Chromium and ChromeDriver (Debian)"
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  note "chromium: present"
else
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

step "Python venv with the Cognito emulator (moto)"
req="$ROOT/tests/emulator/requirements.txt"
stamp="$VENV/.requirements.sha256"
want_sum="$(sha256sum "$req" | cut -d' ' -f1)"
if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want_sum" ]; then
  note "venv: present"
else
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$req"
  echo "$want_sum" >"$stamp"
fi

step "npm dependencies"
# `npm pack` swaps in the published package.json and puts this one back afterwards (scripts/pack-manifest.mjs): a
# pack that failed in between left it aside.
if [ -f "$ROOT/.package.repo.json" ]; then
  note "package.json: restoring the repository's (an npm pack stopped before its postpack)"
  node "$ROOT/scripts/pack-manifest.mjs" restore
fi
npm_install() { # DIR
  local dir="$1" stamp="$1/node_modules/.install-stamp" sum
  sum="$(cat "$dir/package.json" "$dir/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1)"
  if [ -d "$dir/node_modules" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then
    note "${dir#"$ROOT"/}: present"
    return
  fi
  if [ -f "$dir/package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  else
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
  fi
  sum="$(cat "$dir/package.json" "$dir/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1)"
  echo "$sum" >"$stamp"
}
npm_install "$ROOT"
for sub in www bench tests/bundlers; do
  [ -f "$ROOT/$sub/package.json" ] && npm_install "$ROOT/$sub"
done
note "bootstrap done"
