#!/usr/bin/env bash
# Writes the release packages under dist/, named by the version in FyneApp.toml:
#   BoothLedger-VERSION-windows-amd64.zip   booth.exe (GUI, icon, version information),
#                                           boothctl.exe, boothd.exe, README.txt, font licence
#   BoothLedger-VERSION-linux-amd64.tar.xz  the layout `fyne package -os linux` writes, with
#                                           boothctl and boothd beside booth
#   boothledger_VERSION_amd64.deb           the three programs in /usr/bin, .desktop and icon
# `make dist` runs it and then packaging/check. Everything but dist/ is built in a temporary
# folder: `fyne package` would write its .syso and metadata file into cmd/booth and bump the
# build number in FyneApp.toml, so the resources go to the linker instead (see winbuild).
set -euo pipefail
cd "$(dirname "$0")/.."
umask 022
GO=${GO:-go}
WINRES=github.com/tc-hib/go-winres@v0.3.3
APPID=jp.boothledger.booth

version=$(sed -n '/^\[Details\]/,/^\[/s/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
homepage=$(sed -n 's/^Website *= *"\(.*\)"/\1/p' FyneApp.toml)
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "dist: no x.y.z Version in FyneApp.toml [Details]" >&2; exit 1; }

tmp=$(mktemp -d /tmp/boothledger-dist.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p dist
rm -f dist/BoothLedger-*-windows-amd64.zip dist/BoothLedger-*-linux-amd64.tar.xz dist/boothledger_*_amd64.deb

# winbuild PROGRAM DESCRIPTION gui|cli builds PROGRAM.exe with an icon, version information and
# a manifest. The resource object goes to mingw's linker through -extldflags: a .syso in the
# package folder would be linked into everyone's Windows builds of it while this one runs.
winbuild() {
	local ldflags="-s -w -linkmode=external -extldflags=$tmp/$1.syso"
	[[ $3 == gui ]] && ldflags+=" -H=windowsgui" # no console window
	"$GO" run "$WINRES" simply --arch amd64 --no-suffix --out "$tmp/$1.syso" --manifest "$3" \
		--icon assets/icon.png --product-name "Booth Ledger" --product-version "$version" \
		--file-version "$version" --file-description "$2" --original-filename "$1.exe"
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc \
		"$GO" build -ldflags "$ldflags" -o "$tmp/win/$1.exe" "./cmd/$1"
}

# windows turns a UTF-8 text into what Notepad shows right whatever its defaults: a BOM and CRLF.
windows() { printf '\xef\xbb\xbf'; sed 's/\r*$/\r/'; }

echo "dist: Windows programs"
winbuild booth "Booth Ledger" gui
winbuild boothctl "Booth Ledger command line" cli
winbuild boothd "Booth Ledger sync server" cli
sed "s/@VERSION@/$version/" packaging/README.txt | windows >"$tmp/win/README.txt"
windows <assets/IPA_Font_License_v1.0.txt >"$tmp/win/IPA_Font_License_v1.0.txt"
(cd "$tmp/win" && zip -q -X -9 "$OLDPWD/dist/BoothLedger-$version-windows-amd64.zip" \
	booth.exe boothctl.exe boothd.exe README.txt IPA_Font_License_v1.0.txt)

echo "dist: Linux programs"
for p in booth boothctl boothd; do
	"$GO" build -ldflags "-s -w" -o "$tmp/linux/$p" "./cmd/$p"
done

tree=BoothLedger-$version-linux-amd64
t=$tmp/$tree
for p in booth boothctl boothd; do install -Dm755 "$tmp/linux/$p" "$t/usr/local/bin/$p"; done
install -Dm644 packaging/linux/$APPID.desktop "$t/usr/local/share/applications/$APPID.desktop"
install -Dm644 assets/icon.png "$t/usr/local/share/pixmaps/$APPID.png"
install -Dm644 packaging/linux/Makefile "$t/Makefile"
install -Dm644 assets/IPA_Font_License_v1.0.txt "$t/IPA_Font_License_v1.0.txt"
XZ_OPT=-T0 tar -C "$tmp" --owner=0 --group=0 --numeric-owner -cJf "dist/$tree.tar.xz" "$tree"

# The tree is laid out as a Debian source package would build it, for dpkg-shlibdeps.
d=$tmp/pkg/debian/boothledger
for p in booth boothctl boothd; do install -Dm755 "$tmp/linux/$p" "$d/usr/bin/$p"; done
install -Dm644 packaging/linux/$APPID.desktop "$d/usr/share/applications/$APPID.desktop"
install -Dm644 assets/icon.png "$d/usr/share/icons/hicolor/256x256/apps/$APPID.png"
install -d "$d/usr/share/doc/boothledger" "$d/DEBIAN"
{ sed "s|@HOMEPAGE@|$homepage|" packaging/deb/copyright; cat assets/IPA_Font_License_v1.0.txt; } \
	>"$d/usr/share/doc/boothledger/copyright"
# Depends: the libraries the programs link, as Debian's shlibs files name their packages.
printf 'Source: boothledger\n\nPackage: boothledger\nArchitecture: amd64\n' >"$tmp/pkg/debian/control"
depends=$(cd "$tmp/pkg" && dpkg-shlibdeps -O -edebian/boothledger/usr/bin/{booth,boothctl,boothd} |
	sed -n 's/^shlibs:Depends=//p')
[[ -n $depends ]] || { echo "dist: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
# GLFW opens the X extensions' libraries with dlopen, out of dpkg-shlibdeps' sight.
depends+=", libx11-xcb1, libxcursor1, libxi6, libxinerama1, libxrandr2, libxrender1, libxxf86vm1"
sed -e "s/@VERSION@/$version/" -e "s/@DEPENDS@/$depends/" -e "s|@HOMEPAGE@|$homepage|" \
	-e "s/@SIZE@/$(du -sk --exclude=DEBIAN "$d" | cut -f1)/" packaging/deb/control.in >"$d/DEBIAN/control"
dpkg-deb --root-owner-group -Zxz --build "$d" "dist/boothledger_${version}_amd64.deb" >/dev/null

ls -l dist/BoothLedger-"$version"-* dist/boothledger_"$version"_amd64.deb
