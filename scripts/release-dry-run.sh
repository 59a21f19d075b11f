#!/usr/bin/env bash
# The release workflow (.github/workflows/release.yml) run locally, without pushing or publishing: on a clean
# checkout of a commit (default HEAD; uncommitted changes are not part of a release), it checks what the
# workflow checks, builds and packages what it would ship, extracts the release notes, and prints what it would
# push and publish. Offline: it uses this clone's node_modules (npm install first). Exits non-zero on any problem.
#
#   npm run release:dry-run                 HEAD, the version in its package.json
#   npm run release:dry-run -- v1.2.3       a tag (or any commit-ish); a tag must be v + its package.json version
#   npm run release:dry-run -- --tests HEAD also run the whole test suite (slow; the workflow runs it via .ci/run)
#
# Leaves build/release-dry-run/{notes.md, acr-import-vX.Y.Z.vsix} behind for a look.
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

tests=false
ref=HEAD
for arg in "$@"; do
  case "$arg" in
    --tests) tests=true ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) echo "unknown option $arg" >&2; exit 2 ;;
    *) ref="$arg" ;;
  esac
done

failures=()
pass() { printf '  ok    %s\n' "$1"; }
fail() { printf '  FAIL  %s\n' "$1"; failures+=("$1"); }
section() { printf '\n::: %s\n' "$1"; }

commit="$(git rev-parse --verify -q "$ref^{commit}")" || { echo "$ref is not a commit" >&2; exit 2; }
out="$repo/build/release-dry-run"
tree="$(mktemp -d "${TMPDIR:-/tmp}/acr-import-release-XXXXXX")/tree"
cleanup() {
  git -C "$repo" worktree remove --force "$tree" >/dev/null 2>&1 || rm -rf "$tree"
  git -C "$repo" worktree prune >/dev/null 2>&1
  rm -rf "$(dirname "$tree")"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

section "a clean checkout of $ref ($(git rev-parse --short "$commit"))"
git worktree add --detach --quiet "$tree" "$commit" || { echo "git worktree add failed" >&2; exit 1; }
# A real node_modules folder in the checkout, as a clone has: ncc names modules by their path from the project,
# so a symlink to this clone's node_modules would build another dist/. Hard links cost no copy (same file system;
# nothing here writes to an installed file); across file systems it is copied.
cp -al "$repo/node_modules" "$tree/node_modules" 2>/dev/null || {
  rm -rf "$tree/node_modules"
  cp -a "$repo/node_modules" "$tree/node_modules"
}
rm -rf "$out" && mkdir -p "$out"
cd "$tree"
version="$(node -p "require('./package.json').version")"
tag="v$version"
major="${tag%%.*}"
echo "  version $version, tag $tag, major tag $major"

section "the tag and the versions"
if [[ "$ref" =~ ^v[0-9] ]] && [ "$ref" != "$tag" ]; then
  fail "the tag $ref is v + package.json version ($tag)"
else
  pass "the tag is v + package.json version ($tag)"
fi
existing="$(git -C "$repo" rev-parse -q --verify "refs/tags/$tag^{commit}")"
if [ -z "$existing" ]; then
  pass "$tag is not released yet"
elif [ "$existing" = "$commit" ]; then
  pass "$tag already points at this commit (re-running a release)"
else
  fail "$tag exists already on $(git -C "$repo" rev-parse --short "$existing"): bump the version (npm version --no-git-tag-version, then npm run version:sync)"
fi
if node scripts/sync-versions.mjs --check >"$out/versions.txt" 2>&1; then
  pass "$(cat "$out/versions.txt")"
else
  sed 's/^/        /' "$out/versions.txt"
  fail "package.json, task.json, vss-extension.json and package-lock.json agree"
fi
if node scripts/release-notes.mjs "$version" >"$out/notes.md" 2>"$out/notes.err"; then
  pass "CHANGELOG.md has a section [$version] ($(wc -l <"$out/notes.md") lines of notes)"
else
  sed 's/^/        /' "$out/notes.err"
  fail "CHANGELOG.md has a section for $version"
fi
heading="$(grep -E "^## \[$version\]" CHANGELOG.md || true)"
if [ -n "$heading" ] && ! [[ "$heading" =~ [0-9]{4}-[0-9]{2}-[0-9]{2} ]]; then
  fail "the CHANGELOG heading of $version carries the release date: '$heading'"
fi

section "typecheck and lint"
if npm run --silent typecheck >"$out/typecheck.log" 2>&1; then pass "tsc"; else tail -20 "$out/typecheck.log"; fail "tsc"; fi
if npm run --silent lint >"$out/lint.log" 2>&1; then pass "eslint and prettier"; else tail -20 "$out/lint.log"; fail "eslint and prettier"; fi

section "dist/ is what the sources build"
if npm run --silent build >"$out/build.log" 2>&1; then
  if git diff --exit-code --stat -- dist && [ -z "$(git status --porcelain -- dist)" ]; then
    pass "dist/ rebuilt and unchanged"
  else
    git status --porcelain -- dist | sed 's/^/        /'
    fail "dist/ differs from a fresh build: run npm run build and commit dist/"
  fi
else
  tail -20 "$out/build.log"
  fail "npm run build"
fi

section "package the extension"
vsix="$out/acr-import-$tag.vsix"
if ACR_IMPORT_VSIX="$vsix" node scripts/package-vsix.mjs >"$out/package.log" 2>&1; then
  pass "$(tail -n 1 "$out/package.log")"
  if python3 - "$vsix" "$version" <<'PY'; then
import json, re, sys, zipfile
vsix, version = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(vsix)
names = set(z.namelist())
manifest = z.read('extension.vsixmanifest').decode()
task = json.loads(z.read('AcrImport/task.json'))
problems = []
if f'Version="{version}"' not in manifest: problems.append('the extension version is not ' + version)
v = task['version']
if f"{v['Major']}.{v['Minor']}.{v['Patch']}" != version: problems.append('the task version is not ' + version)
if 'overview.md' not in names or 'Microsoft.VisualStudio.Services.Content.Details' not in manifest:
    problems.append('the overview is not the details page')
for handler in task['execution'].values():
    if 'AcrImport/' + handler['target'] not in names: problems.append('missing ' + handler['target'])
for p in problems: print('        ' + p)
print(f"  ok    the .vsix holds extension {version}, task {version}, the overview and {len(names)} files")
sys.exit(1 if problems else 0)
PY
    :
  else
    fail "the .vsix holds the versions, the overview and the task's bundle"
  fi
else
  tail -20 "$out/package.log"
  fail "npm run package:vsix"
fi
if git diff --exit-code --stat -- . ':(exclude)dist'; then
  pass "the version sync and the packaging changed no tracked file"
else
  fail "building or packaging changed tracked files (above): the release would not ship the tag"
fi

if $tests; then
  section "tests (npm test)"
  if npm test >"$out/tests.log" 2>&1; then pass "$(tail -n 1 "$out/tests.log")"; else tail -30 "$out/tests.log"; fail "npm test"; fi
else
  section "tests"
  echo "  skipped: the release workflow runs them with .ci/run; add --tests to run the whole suite here"
fi

section "the major tag"
highest="$( (git -C "$repo" tag --list "$major.*.*"; echo "$tag") | grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' | sort -uV | tail -n 1)"
current="$(git -C "$repo" rev-parse -q --short --verify "refs/tags/$major^{commit}" || echo none)"
if [ "$highest" = "$tag" ]; then
  move="git tag -f $major $commit && git push -f origin refs/tags/$major"
  echo "  $major moves from $current to $tag"
else
  move="(none: $major stays on $highest)"
  echo "  $major stays on $highest, a higher release than $tag"
fi

section "release notes ($out/notes.md)"
sed 's/^/  | /' "$out/notes.md"

section "what the release would do (not done: this is a dry run)"
cat <<EOT
  git tag $tag $commit && git push origin $tag      # you; the workflow starts on the pushed tag
  gh release create $tag --verify-tag --title $tag --notes-file notes.md acr-import-$tag.vsix
  $move
  tfx extension publish --vsix acr-import.vsix --token \$VSMARKETPLACE_TOKEN   # only where the secret is set
EOT

if [ ${#failures[@]} -gt 0 ]; then
  printf '\nThe release of %s would fail:\n' "$tag"
  printf '  - %s\n' "${failures[@]}"
  exit 1
fi
printf '\nThe release of %s would go through. Nothing was pushed or published.\n' "$tag"
