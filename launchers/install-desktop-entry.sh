#!/bin/sh
# Adds Paddock to the desktop's application menu (freedesktop): the entry runs this checkout's launcher.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
mkdir -p "$data/applications" "$data/icons/hicolor/256x256/apps"
sed "s|@LAUNCHER@|\"$root/launchers/paddock\"|" "$root/launchers/paddock.desktop" > "$data/applications/dev.paddock.desktop"
cp "$root/launchers/paddock.png" "$data/icons/hicolor/256x256/apps/dev.paddock.png"
echo "added $data/applications/dev.paddock.desktop"
