#!/usr/bin/env bash
# Builds the English-German parallel corpus (see datasets/translation-en-de/README.md) from
# Debian localisation packages: LibreOffice help and UI catalogs, GNOME help (and the UI
# catalogs of the same GNOME packages), and the Debian Reference. Nothing is installed: the
# .debs are fetched with `apt-get download` and only their translation files are unpacked.
#
#   build/build-corpus.sh [--lang de] [--work DIR] [--out DIR] [-- CorpusBuilder options]
#
# Defaults: --work data/corpus-build (downloaded .debs in debs/, unpacked files in root/),
# --out data/corpus/en-<lang>. Idempotent: packages already downloaded or unpacked are not
# fetched or unpacked again, and the builder's output depends only on the unpacked files.
# Without apt-get, put the .debs it names into the work folder's debs/ and run it again.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=de
WORK=data/corpus-build
OUT=
while [ $# -gt 0 ]; do
  case "$1" in
    --lang) TARGET=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "build-corpus: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
OUT=${OUT:-data/corpus/en-$TARGET}
DEBS=$WORK/debs
ROOT=$WORK/root

# The LibreOffice packages are required; the others add GNOME help, GNOME UI catalogs and the
# Debian Reference (a missing one costs pairs, not correctness).
required=(libreoffice-help-en-us "libreoffice-help-$TARGET" "libreoffice-l10n-$TARGET")
optional=(gnome-user-docs gnome-devel-docs evolution-common evince-common orca seahorse
  gnome-terminal-data eog gnome-calculator gnome-system-monitor gnote gthumb-data
  anjuta-common atril-common gnome-boxes epiphany-browser-data totem-common
  gnome-dictionary glabels-data iagno zenity-common gtranslator easytag
  shotwell-common gedit-common debian-reference-en "debian-reference-$TARGET")
packages=("${required[@]}" "${optional[@]}")

mkdir -p "$DEBS" "$ROOT"
have_deb() { compgen -G "$DEBS/${1}_*.deb" >/dev/null; }
missing() { local p; for p in "$@"; do have_deb "$p" || echo "$p"; done; }

# apt-get download fails as a whole when one name is unknown, so retry one by one; a failure
# may also mean the package lists were never fetched, which `apt-get update` fixes (as root).
apt_download() {
  (cd "$DEBS" && apt-get download "$@" 2> >(grep -v 'unsandboxed' >&2))
}
apt_update() {
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo apt-get update -qq
  else echo "build-corpus: could not run 'apt-get update' (not root); run it as root if downloads fail" >&2
  fi
}

mapfile -t need < <(missing "${packages[@]}")
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "build-corpus: downloading ${#need[@]} packages into $DEBS"
    if ! apt_download "${need[@]}"; then
      apt_update
      for p in "${need[@]}"; do
        have_deb "$p" || apt_download "$p" || echo "build-corpus: warning: could not download $p" >&2
      done
    fi
  fi
  mapfile -t need < <(missing "${required[@]}")
  if [ ${#need[@]} -gt 0 ]; then
    why="could not be downloaded with apt-get"
    command -v apt-get >/dev/null 2>&1 || why="cannot be downloaded here: this system has no apt-get"
    cat >&2 <<MSG
build-corpus: these packages are missing and $why:
  ${need[*]}
Fetch the Debian 12 (bookworm) .deb files of these packages, and for more pairs also of
  ${optional[*]}
(e.g. from https://packages.debian.org/bookworm/<package>, "all" or "amd64"), put them into
  $DEBS/
keeping their <package>_<version>_<arch>.deb names, and run this script again.
MSG
    exit 1
  fi
fi

if ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "build-corpus: dpkg-deb is needed to unpack the .debs in $DEBS (install dpkg)" >&2
  exit 1
fi

# Only the files the builder reads (and the copyright notices) are unpacked.
patterns=(
  "./usr/share/libreoffice/help/en-US/text/*.html" "./usr/share/libreoffice/help/$TARGET/text/*.html"
  "./usr/lib/libreoffice/program/resource/$TARGET/LC_MESSAGES/*.mo"
  "./usr/share/help/C/*.page" "./usr/share/help/$TARGET/*.page"
  "./usr/share/locale/$TARGET/LC_MESSAGES/*.mo"
  "./usr/share/debian-reference/*.en.html" "./usr/share/debian-reference/*.$TARGET.html"
  "./usr/share/doc/*/copyright")
stamps=$ROOT/.unpacked-$TARGET
mkdir -p "$stamps"
tarball=$WORK/.data.tar
for deb in "$DEBS"/*.deb; do
  stamp=$stamps/$(basename "$deb")
  [ -f "$stamp" ] && continue
  if ! dpkg-deb --fsys-tarfile "$deb" >"$tarball"; then
    echo "build-corpus: cannot read $deb; delete it and run again to fetch it anew" >&2
    exit 1
  fi
  # tar exits 2 when some pattern matches nothing in this package; that is expected.
  tar -x -f "$tarball" -C "$ROOT" --wildcards "${patterns[@]}" 2>/dev/null || true
  touch "$stamp"
done
rm -f "$tarball"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "build-corpus: the .NET SDK (dotnet) is needed to run build/CorpusBuilder" >&2
  exit 1
fi
dotnet run -c Release --project build/CorpusBuilder -- --root "$ROOT" --lang "$TARGET" --out "$OUT" "$@"
